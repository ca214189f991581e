using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PermissionLayer.Storage.ApiKeys;

internal sealed class ApiKeyRowConfiguration : IEntityTypeConfiguration<ApiKeyRow>
{
    public void Configure(EntityTypeBuilder<ApiKeyRow> key)
    {
        key.ToTable("api_keys");
        key.HasKey(k => k.Id);
        key.Property(k => k.Id).HasColumnName("id");
        key.Property(k => k.Name).HasColumnName("name");
        key.Property(k => k.Roles).HasColumnName("roles");
        key.Property(k => k.SecretHash).HasColumnName("secret_hash");
        key.Property(k => k.CreatedAt).HasColumnName("created_at");
        key.Property(k => k.CreatedBy).HasColumnName("created_by");
        key.Property(k => k.RevokedAt).HasColumnName("revoked_at");
    }
}
