using Hl7.Fhir.Model;
using PermissionLayer.Core.Consents;
using PermissionLayer.Core.Labels;
using PermissionLayer.Core.References;
using PermissionLayer.Core.Requests;
using PermissionLayer.Fhir.Imports;
using PermissionLayer.Fhir.Resources;

namespace PermissionLayer.Fhir.Consents;

/// <summary>Compiles <c>Consent.provision</c> and its nested provisions, naming the path of anything it rejects.</summary>
internal static class ProvisionCompiler
{
    /// <summary>
    /// Actor types a request can be matched against: the user, the organizations, care teams and groups
    /// they belong to, and the client app as a Device. Others (e.g. PractitionerRole) would never match,
    /// which for a deny would silently fail open, so they are rejected.
    /// </summary>
    private static readonly IReadOnlySet<string> ActorTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "Practitioner", "Organization", "CareTeam", "Group", "Device", "Patient", "RelatedPerson",
    };

    private const string ResourceTypesSystem = "http://hl7.org/fhir/resource-types";

    public static ConsentProvision Compile(Consent.provisionComponent provision, string path, ResourceScope scope)
    {
        return new ConsentProvision
        {
            // Core paths drop the resource name ("provision.provision[0]") because reasons already name the Consent.
            Path = path["Consent.".Length..],
            Type = provision.Type switch
            {
                null => null,
                Consent.ConsentProvisionType.Permit => ProvisionType.Permit,
                Consent.ConsentProvisionType.Deny => ProvisionType.Deny,
                _ => throw scope.Fail($"{path}.type", $"'{provision.Type}' is not permit or deny"),
            },
            Period = PeriodBounds.Consenting(provision.Period, $"{path}.period", scope),
            Actors = [.. provision.Actor.Select((a, i) => Actor(a, $"{path}.actor[{i}]", scope))],
            Actions = Set(provision.Action.Select((a, i) => Action(a, $"{path}.action[{i}]", scope))),
            Purposes = Set(provision.Purpose.Select((p, i) => Purpose(p, $"{path}.purpose[{i}]", scope))),
            Classes = Set(provision.Class.Select((c, i) => Class(c, $"{path}.class[{i}]", scope))),
            Codes = [.. provision.Code.SelectMany((c, i) => Codes(c, $"{path}.code[{i}]", scope))],
            SecurityLabels = [.. provision.SecurityLabel.Select((l, i) => Label(l, $"{path}.securityLabel[{i}]", scope))],
            DataPeriod = PeriodBounds.Consenting(provision.DataPeriod, $"{path}.dataPeriod", scope),
            Data = [.. provision.Data.Select((d, i) => Data(d, $"{path}.data[{i}]", scope))],
            Children = [.. provision.Provision.Select((p, i) => Compile(p, $"{path}.provision[{i}]", scope))],
        };
    }

    private static ConsentActor Actor(Consent.provisionActorComponent actor, string path, ResourceScope scope)
    {
        if (actor.Role?.Coding is not { Count: > 0 } roles || roles[0].Code is not { Length: > 0 } role)
        {
            throw scope.Fail($"{path}.role", "is missing; FHIR requires the actor's role (e.g. PRCP)");
        }
        var reference = ReferenceRules.Require(actor.Reference, $"{path}.reference", ActorTypes, scope);
        return new ConsentActor(role, reference.ToString());
    }

    private static string Action(CodeableConcept action, string path, ResourceScope scope)
    {
        var coding = action.Coding.FirstOrDefault();
        if (coding?.Code is not { } code || action.Coding.Count != 1)
        {
            throw scope.Fail(path, "must have exactly one coding from http://terminology.hl7.org/CodeSystem/consentaction");
        }
        if (coding.System is not (null or ConsentActions.System) || !ConsentActions.Known.Contains(code))
        {
            throw scope.Fail($"{path}.coding[0]", $"'{coding.System}|{code}' is not supported; expected one of {string.Join(", ", ConsentActions.Known)}");
        }
        return code;
    }

    private static string Code(Coding coding, string path, ResourceScope scope) =>
        coding.Code is { Length: > 0 } code ? code : throw scope.Fail($"{path}.code", "is missing");

    private static string Class(Coding coding, string path, ResourceScope scope)
    {
        var code = Code(coding, path, scope);
        if (coding.System is not (null or ResourceTypesSystem) || !R4ResourceTypes.Instance.IsKnown(code))
        {
            throw scope.Fail(path, $"'{coding.System}|{code}' is not supported; only FHIR R4 resource types ({ResourceTypesSystem}) are");
        }
        return code;
    }

    /// <summary>
    /// Purposes are matched by code against the request's purpose of use, so a code from another system
    /// would be read as the ActReason code it happens to spell.
    /// </summary>
    private static string Purpose(Coding coding, string path, ResourceScope scope)
    {
        var code = Code(coding, path, scope);
        if (coding.System is not null && CodeSystemAliases.Canonical(coding.System) != CodeSystemAliases.ActReason)
        {
            throw scope.Fail(path, $"'{coding.System}|{code}' is not supported; only purposes of use from {CodeSystemAliases.ActReason} are");
        }
        return code;
    }

    /// <summary>
    /// A code stated only as text cannot be matched; skipping it would leave the provision matching
    /// every code, which for a permit widens it.
    /// </summary>
    private static IEnumerable<Token> Codes(CodeableConcept concept, string path, ResourceScope scope)
    {
        if (concept.Coding.Count == 0)
        {
            throw scope.Fail($"{path}.coding", "is missing; a code given only as text cannot be matched against the data");
        }
        return concept.Coding.Select((coding, j) => Token(coding, $"{path}.coding[{j}]", scope)).ToList();
    }

    /// <summary>A confidentiality label off the U..V scale has no place in the high-water mark.</summary>
    private static Token Label(Coding coding, string path, ResourceScope scope)
    {
        var label = Token(coding, path, scope);
        if (CodeSystemAliases.IsIn(label, Confidentiality.System) && !Confidentiality.IsCode(label.Code))
        {
            throw scope.Fail(path, $"'{label}' is not a confidentiality code; expected one of {string.Join(", ", Confidentiality.Codes)}");
        }
        return label;
    }

    private static Token Token(Coding coding, string path, ResourceScope scope) =>
        new(coding.System, Code(coding, path, scope));

    private static ConsentData Data(Consent.provisionDataComponent data, string path, ResourceScope scope)
    {
        // related, dependents and authoredby need the resource graph, which a decision does not have;
        // matching only the instance would let a deny miss the related data.
        if (data.Meaning != Consent.ConsentDataMeaning.Instance)
        {
            throw scope.Fail($"{path}.meaning", $"'{data.Meaning}' is not supported; only instance is");
        }
        var value = data.Reference?.Reference;
        if (!FhirReference.TryParse(value, out var reference))
        {
            throw scope.Fail($"{path}.reference", $"'{value}' must be a relative reference Type/id");
        }
        return new ConsentData("instance", reference.ToString()!);
    }

    private static HashSet<string> Set(IEnumerable<string> values) => new(values, StringComparer.Ordinal);
}
