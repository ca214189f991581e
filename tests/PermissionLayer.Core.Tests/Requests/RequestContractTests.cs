using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Requests;

namespace PermissionLayer.Core.Tests.Requests;

/// <summary>The request contract per interaction: which parts each must carry, and what contradicts.</summary>
public sealed class RequestContractTests
{
    private static readonly ResourceFacts OfA = new() { Patients = ["a"], Complete = true };

    private static DecisionRequest Request(Interaction interaction, string type = "Observation", string? id = "o1",
        ResourceFacts? stored = null, ResourceFacts? proposed = null, bool absent = false, string? operation = null) => new()
    {
        Token = new TokenContext { ClientId = "app", Scope = "user/*.cruds", FhirUser = "Practitioner/x" },
        Interaction = interaction,
        ResourceType = type,
        ResourceId = id,
        Stored = stored,
        Proposed = proposed,
        StoredAbsent = absent,
        Operation = operation,
    };

    public static TheoryData<string, DecisionRequest, string?> Cases => new()
    {
        { "read without stored", Request(Interaction.Read), "stored" },
        { "read with stored", Request(Interaction.Read, stored: OfA), null },
        { "vread without stored", Request(Interaction.VRead), "stored" },
        { "history-instance without stored", Request(Interaction.HistoryInstance), "stored" },
        { "conditional create without its criteria", Request(Interaction.Create, id: null, proposed: OfA) with { Conditional = true }, "query" },
        { "conditional create naming a versioned patient", Request(Interaction.Create, id: null, proposed: OfA) with { Conditional = true, Query = "patient=Patient/b/_history/1" }, "query" },
        { "conditional create with criteria", Request(Interaction.Create, id: null, proposed: OfA) with { Conditional = true, Query = "patient=a&identifier=x|1" }, null },
        { "search naming an absolute patient", Request(Interaction.SearchType, id: null) with { Query = "patient=https://fhir.example.org/fhir/Patient/b" }, "query" },
        { "search naming a lower-case patient reference", Request(Interaction.SearchType, id: null) with { Query = "subject=patient/b" }, "query" },
        { "search by a group subject", Request(Interaction.SearchType, id: null) with { Query = "subject=Group/g1" }, null },
        { "history-instance with the current version's facts", Request(Interaction.HistoryInstance, stored: OfA), "stored.facts.all_versions" },
        { "history-instance with every version's facts", Request(Interaction.HistoryInstance, stored: OfA with { AllVersions = true }), null },
        { "delete without stored", Request(Interaction.Delete), "stored" },
        { "read without id", Request(Interaction.Read, id: null, stored: OfA), "resource_id" },
        { "read of any type", Request(Interaction.Read, type: "*", stored: OfA), "resource_type" },
        { "create of any type", Request(Interaction.Create, type: "*", id: null, proposed: OfA), "resource_type" },
        { "type search of any type", Request(Interaction.SearchType, type: "*", id: null), "resource_type" },
        { "system search", Request(Interaction.SearchSystem, type: "*", id: null), null },
        { "system search naming a type", Request(Interaction.SearchSystem, type: "Observation", id: null), "resource_type" },
        { "system history naming a type", Request(Interaction.HistorySystem, type: "Observation", id: null), "resource_type" },
        { "read naming an operation", Request(Interaction.Read, type: "Patient", id: "a", stored: OfA, operation: "$everything"), "operation" },
        { "create without proposed", Request(Interaction.Create, id: null), "proposed" },
        { "create", Request(Interaction.Create, id: null, proposed: OfA), null },
        { "update without proposed", Request(Interaction.Update, stored: OfA), "proposed" },
        { "update without stored", Request(Interaction.Update, proposed: OfA), "stored" },
        { "update-as-create", Request(Interaction.Update, proposed: OfA, absent: true), null },
        { "patch without stored", Request(Interaction.Patch, proposed: OfA), "stored" },
        { "patch that says absent", Request(Interaction.Patch, proposed: OfA, absent: true), "stored.absent" },
        { "read that says absent", Request(Interaction.Read, stored: OfA, absent: true), "stored.absent" },
        { "operation without a name", Request(Interaction.Operation, type: "Patient"), "operation" },
        { "Patient whose facts name another", Request(Interaction.Read, type: "Patient", id: "b", stored: OfA), "stored.patients" },
        { "Patient in its own compartment", Request(Interaction.Read, type: "Patient", id: "a", stored: OfA), null },
        { "reference of another resource", Request(Interaction.Read, stored: OfA with { Reference = "Observation/o2" }), "stored.reference" },
        { "reference of another type", Request(Interaction.Read, stored: OfA with { Reference = "Condition/o1" }), "stored.reference" },
        { "update whose body is another resource", Request(Interaction.Update, stored: OfA, proposed: OfA with { Reference = "Observation/o9" }), "proposed.reference" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_interaction_carries_what_it_must(string why, DecisionRequest request, string? invalidField)
    {
        var error = Record.Exception(() => RequestContract.Enforce(request));
        if (invalidField is null)
        {
            Assert.True(error is null, $"{why}: {error?.Message}");
        }
        else
        {
            Assert.Equal(invalidField, Assert.IsType<RequestValidationException>(error).Field);
        }
    }

    public static TheoryData<ResourceFacts, string?> Compartments => new()
    {
        { OfA, null },
        { new ResourceFacts { Complete = true }, "compartment.no-patient" },
        { OfA with { UnresolvedPatientReferences = ["Observation.subject"] }, "compartment.unresolved" },
        { new ResourceFacts { UnresolvedPatientReferences = ["Observation.performer"] }, "compartment.unresolved" },
    };

    [Theory]
    [MemberData(nameof(Compartments))]
    public void Compartment_data_without_a_known_patient_is_denied(ResourceFacts stored, string? code)
    {
        var reason = RequestContract.CompartmentUnknown(Request(Interaction.Read, stored: stored));
        Assert.Equal(code, reason?.Code);
        Assert.True(reason is null || reason.Outcome == Outcome.Deny);
    }

    [Fact]
    public void Non_compartment_types_and_new_patients_need_no_patient()
    {
        Assert.Null(RequestContract.CompartmentUnknown(Request(Interaction.Read, type: "Practitioner", stored: new ResourceFacts())));
        Assert.Null(RequestContract.CompartmentUnknown(Request(Interaction.Create, type: "Patient", id: null, proposed: new ResourceFacts())));
        Assert.NotNull(RequestContract.CompartmentUnknown(Request(Interaction.Update, type: "Patient", stored: new ResourceFacts(), proposed: new ResourceFacts())));
    }
}
