using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PermissionLayer.Storage.PractitionerRoles;

internal sealed class PractitionerRoleRowConfiguration : IEntityTypeConfiguration<PractitionerRoleRow>
{
    public void Configure(EntityTypeBuilder<PractitionerRoleRow> role)
    {
        role.ToTable("practitioner_roles");
        role.HasKey(r => r.Id);
        role.Property(r => r.Id).HasColumnName("id");
        role.Property(r => r.Practitioner).HasColumnName("practitioner");
        role.Property(r => r.Organization).HasColumnName("organization");
        role.Property(r => r.Active).HasColumnName("active");
        role.Property(r => r.PeriodStart).HasColumnName("period_start");
        role.Property(r => r.PeriodEnd).HasColumnName("period_end");
        role.Property(r => r.Revision).HasColumnName("revision");
        // A principal's grain loads its roles on activation.
        role.HasIndex(r => r.Practitioner).HasDatabaseName("ix_practitioner_roles_practitioner");
    }
}
