using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PermissionLayer.Storage.Consents;

internal sealed class ConsentRowConfiguration : IEntityTypeConfiguration<ConsentRow>
{
    public void Configure(EntityTypeBuilder<ConsentRow> consent)
    {
        consent.ToTable("consents");
        consent.HasKey(c => c.Id);
        consent.Property(c => c.Id).HasColumnName("id");
        consent.Property(c => c.PatientId).HasColumnName("patient_id").IsRequired();
        consent.Property(c => c.Status).HasColumnName("status").IsRequired();
        consent.Property(c => c.RawJson).HasColumnName("raw_json").IsRequired();
        consent.Property(c => c.CompiledForm).HasColumnName("compiled_form");
        consent.Property(c => c.Revision).HasColumnName("revision");
        consent.Property(c => c.CreatedAt).HasColumnName("created_at");
        consent.Property(c => c.UpdatedAt).HasColumnName("updated_at");
        consent.Property(c => c.WithdrawnAt).HasColumnName("withdrawn_at");
        consent.Property(c => c.WithdrawReason).HasColumnName("withdraw_reason");
        consent.Property(c => c.WithdrawnBy).HasColumnName("withdrawn_by");
        // A patient's consent grain loads all of the patient's consents on activation.
        consent.HasIndex(c => c.PatientId).HasDatabaseName("ix_consents_patient");
    }
}
