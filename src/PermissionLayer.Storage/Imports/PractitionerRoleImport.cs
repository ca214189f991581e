using Microsoft.EntityFrameworkCore;
using PermissionLayer.Core.Imports;
using PermissionLayer.Storage.Changes;
using PermissionLayer.Storage.PractitionerRoles;

namespace PermissionLayer.Storage.Imports;

/// <summary>Creates or replaces a practitioner's role at an organization, inside the import's transaction.</summary>
internal static class PractitionerRoleImport
{
    public static async Task<ImportOutcome> ApplyAsync(
        PermissionLayerDbContext db, ImportedPractitionerRole role, string actor, string reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var reference = $"PractitionerRole/{role.RoleId}";
        var existing = await db.PractitionerRoles.SingleOrDefaultAsync(r => r.Id == role.RoleId, cancellationToken);
        if (existing is not null && existing.Practitioner == role.PractitionerReference && existing.Organization == role.OrganizationReference
            && existing.Active == role.Active && existing.PeriodStart == role.PeriodStart && existing.PeriodEnd == role.PeriodEnd)
        {
            return new ImportOutcome(reference, "unchanged", 1, 0);
        }
        if (existing is not null && existing.Practitioner != role.PractitionerReference)
        {
            // The old practitioner's grain would keep the organization: refuse rather than leave it stale.
            throw new ImportConflictException(
                $"{reference} belongs to {existing.Practitioner}; a role cannot move to {role.PractitionerReference} (import it under a new id); nothing was imported");
        }
        var after = new { role.PractitionerReference, role.OrganizationReference, role.Active, role.PeriodStart, role.PeriodEnd, role.VersionId };
        var before = existing is null ? null : new { existing.Practitioner, existing.Organization, existing.Active, existing.PeriodStart, existing.PeriodEnd };
        // Recorded against the practitioner, whose consent actors it changes (a moved role changes two).
        var revision = await ChangeLog.RecordAsync(db, "practitionerrole.imported", role.PractitionerReference,
            [ChangedEntity.PrincipalOf(role.PractitionerReference)], before, after, actor, reason, at, cancellationToken);
        var outcome = existing is null ? "created" : "replaced";
        existing ??= db.PractitionerRoles.Add(new PractitionerRoleRow { Id = role.RoleId, Practitioner = role.PractitionerReference }).Entity;
        existing.Practitioner = role.PractitionerReference;
        existing.Organization = role.OrganizationReference;
        existing.Active = role.Active;
        existing.PeriodStart = role.PeriodStart;
        existing.PeriodEnd = role.PeriodEnd;
        existing.Revision = revision;
        await db.SaveChangesAsync(cancellationToken);
        return new ImportOutcome(reference, outcome, 1, revision);
    }
}
