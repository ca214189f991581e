using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PermissionLayer.Storage.Changes;

internal sealed class EntitlementChangeRowConfiguration : IEntityTypeConfiguration<EntitlementChangeRow>
{
    public void Configure(EntityTypeBuilder<EntitlementChangeRow> change)
    {
        change.ToTable("entitlement_changes");
        change.HasKey(c => c.Revision);
        // Revisions come from ChangeLog under a transaction-scoped advisory lock, never from a default.
        change.Property(c => c.Revision).HasColumnName("revision").ValueGeneratedNever();
        change.Property(c => c.At).HasColumnName("at");
        change.Property(c => c.Actor).HasColumnName("actor");
        change.Property(c => c.Reason).HasColumnName("reason");
        change.Property(c => c.Kind).HasColumnName("kind");
        change.Property(c => c.Subject).HasColumnName("subject");
        change.Property(c => c.Before).HasColumnName("before").HasColumnType("jsonb");
        change.Property(c => c.After).HasColumnName("after").HasColumnType("jsonb");
        change.Property(c => c.Entities).HasColumnName("entities");
        change.HasIndex(c => new { c.Subject, c.Revision }).HasDatabaseName("ix_entitlement_changes_subject");
        change.HasIndex(c => c.At).HasDatabaseName("ix_entitlement_changes_at");
    }
}
