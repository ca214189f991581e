using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PermissionLayer.Storage.Grants;

internal sealed class GrantRowConfiguration : IEntityTypeConfiguration<GrantRow>
{
    public void Configure(EntityTypeBuilder<GrantRow> grant)
    {
        grant.ToTable("grants");
        grant.HasKey(g => g.Id);
        grant.Property(g => g.Id).HasColumnName("id");
        grant.Property(g => g.Principal).HasColumnName("principal").IsRequired();
        grant.Property(g => g.Target).HasColumnName("target").IsRequired();
        grant.Property(g => g.Actions).HasColumnName("actions").IsRequired();
        grant.Property(g => g.ResourceTypes).HasColumnName("resource_types");
        grant.Property(g => g.Purposes).HasColumnName("purposes");
        grant.Property(g => g.Clearance).HasColumnName("clearance");
        grant.Property(g => g.SensitivityCategories).HasColumnName("sensitivity_categories").HasDefaultValueSql("'{}'::text[]");
        grant.Property(g => g.BreakGlass).HasColumnName("break_glass").HasDefaultValue(false);
        grant.Property(g => g.ValidFrom).HasColumnName("valid_from");
        grant.Property(g => g.ValidUntil).HasColumnName("valid_until");
        grant.Property(g => g.Reason).HasColumnName("reason").IsRequired();
        grant.Property(g => g.GrantedBy).HasColumnName("granted_by").IsRequired();
        grant.Property(g => g.Revision).HasColumnName("revision");
        grant.Property(g => g.RevokedAt).HasColumnName("revoked_at");
        grant.Property(g => g.RevokedRevision).HasColumnName("revoked_revision");
        grant.Property(g => g.RevokeReason).HasColumnName("revoke_reason");
        grant.Property(g => g.RevokedBy).HasColumnName("revoked_by");
        grant.Property(g => g.Source).HasColumnName("source");
        // A principal's grain loads all its grants on activation.
        grant.HasIndex(g => g.Principal).HasDatabaseName("ix_grants_principal");
        // "Who can see Patient/P?" and group/care-team fan-in look grants up by target.
        grant.HasIndex(g => g.Target).HasDatabaseName("ix_grants_target");
        // A re-imported List finds the grants it made.
        grant.HasIndex(g => g.Source).HasDatabaseName("ix_grants_source").HasFilter("source IS NOT NULL");
    }
}
