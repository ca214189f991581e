using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PermissionLayer.Storage.Clients;

internal sealed class ClientRegistrationRowConfiguration : IEntityTypeConfiguration<ClientRegistrationRow>
{
    public void Configure(EntityTypeBuilder<ClientRegistrationRow> client)
    {
        client.ToTable("client_registrations");
        client.HasKey(c => c.ClientId);
        client.Property(c => c.ClientId).HasColumnName("client_id");
        client.Property(c => c.Name).HasColumnName("name");
        client.Property(c => c.Status).HasColumnName("status");
        client.Property(c => c.ScopeCeiling).HasColumnName("scope_ceiling");
        client.Property(c => c.Revision).HasColumnName("revision");
    }
}
