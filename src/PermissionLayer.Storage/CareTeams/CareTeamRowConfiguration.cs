using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PermissionLayer.Storage.CareTeams;

internal sealed class CareTeamRowConfiguration : IEntityTypeConfiguration<CareTeamRow>
{
    public void Configure(EntityTypeBuilder<CareTeamRow> team)
    {
        team.ToTable("care_teams");
        team.HasKey(t => t.Id);
        team.Property(t => t.Id).HasColumnName("id");
        team.Property(t => t.SubjectPatientId).HasColumnName("subject_patient_id");
        team.Property(t => t.Status).HasColumnName("status");
        team.Property(t => t.PeriodStart).HasColumnName("period_start");
        team.Property(t => t.PeriodEnd).HasColumnName("period_end");
        team.Property(t => t.Participants).HasColumnName("participants");
        team.ComplexCollection(t => t.Participations, participation =>
        {
            participation.ToJson("participations");
            participation.Property(p => p.Member).HasJsonPropertyName("member");
            participation.Property(p => p.PeriodStart).HasJsonPropertyName("start");
            participation.Property(p => p.PeriodEnd).HasJsonPropertyName("end");
        });
        team.Property(t => t.Revision).HasColumnName("revision");
        // A principal's grain loads "which care teams am I on?" on activation.
        team.HasIndex(t => t.Participants).HasMethod("gin").HasDatabaseName("ix_care_teams_participants");
        team.HasIndex(t => t.SubjectPatientId).HasDatabaseName("ix_care_teams_subject");
    }
}
