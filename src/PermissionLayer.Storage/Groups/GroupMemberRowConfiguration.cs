using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PermissionLayer.Storage.Groups;

internal sealed class GroupMemberRowConfiguration : IEntityTypeConfiguration<GroupMemberRow>
{
    public void Configure(EntityTypeBuilder<GroupMemberRow> member)
    {
        member.ToTable("group_members");
        member.HasKey(m => new { m.GroupId, m.PatientId });
        member.Property(m => m.GroupId).HasColumnName("group_id");
        member.Property(m => m.PatientId).HasColumnName("patient_id");
        member.Property(m => m.PeriodStart).HasColumnName("period_start");
        member.Property(m => m.PeriodEnd).HasColumnName("period_end");
        member.Property(m => m.Revision).HasColumnName("revision");
        // "Which groups is Patient/P in?" (who-can-see, consent actor matching).
        member.HasIndex(m => m.PatientId).HasDatabaseName("ix_group_members_patient");
    }
}
