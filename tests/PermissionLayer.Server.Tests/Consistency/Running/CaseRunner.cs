using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Consistency.Model;

namespace PermissionLayer.Server.Tests.Consistency.Running;

/// <summary>
/// Loads a case and asks the real APIs at each instant: one CheckBatch with every probe of every token
/// (the entries are decided by the same evaluator as Check; a sample is re-asked through Check), one
/// StreamAccessiblePatients per token, one WhoCanSee per patient at that instant.
/// </summary>
internal sealed class CaseRunner(ConsistencyServerFixture server)
{
    public async Task<LoadedCase> LoadAsync(ConsistencyCase @case, string prefix)
    {
        var names = new CaseNames(prefix);
        var grants = await GraphLoader.LoadAsync(server.Admin, @case.Graph, names);
        return new LoadedCase(@case, names, grants);
    }

    public Task ApplyAsync(LoadedCase loaded) => GraphLoader.ApplyAsync(server.Admin, loaded, loaded.Case.Mutations);

    public async Task<InstantAnswers> AskAsync(LoadedCase loaded, IReadOnlyList<int> tokens, DateTimeOffset at, int sampleSeed)
    {
        server.Clock.Set(at);
        var @case = loaded.Case;
        var names = loaded.Names;
        var keys = new List<ProbeKey>();
        foreach (var token in tokens)
        {
            keys.Add(new ProbeKey(token, Probe.UntargetedSearch));
            foreach (var patient in @case.Graph.Patients)
            {
                keys.Add(new ProbeKey(token, Probe.NamedSearch, patient));
                keys.Add(new ProbeKey(token, Probe.Read, patient));
                keys.AddRange(Labels.OnData.Select(label => new ProbeKey(token, Probe.LabelledRead, patient, label)));
                keys.AddRange(DataVariant.All.Select(v => new ProbeKey(token, Probe.VariantRead, patient, v.Name)));
            }
            keys.AddRange(ResultSpec.For(@case).Select(r => new ProbeKey(token, Probe.ResultRead, r.Patients[0], r.Encode())));
        }
        var batch = new CheckBatchRequest();
        batch.Entries.AddRange(keys.Select(k => Request(k, @case.Tokens[k.Token], names)));
        var results = (await server.Decisions.CheckBatchAsync(batch)).Results;
        var checks = keys.Zip(results).ToDictionary(p => p.First, p => p.Second.ResultCase == CheckBatchResult.ResultOneofCase.Decision
            ? new DecisionAnswer(p.Second.Decision, null)
            : new DecisionAnswer(null, $"{p.Second.Error.Code}: {p.Second.Error.Message}"));

        var streams = await Task.WhenAll(tokens.Select(async t => (t, await StreamAsync(Wire(@case.Tokens[t], names), names))));
        var access = await Task.WhenAll(@case.Graph.Patients.Select(async p => (p, await WhoCanSeeAsync(names, p, at))));

        // Check ≡ CheckBatch: one probe per token, drawn from the seed, asked again on its own.
        var sampler = new Random(sampleSeed);
        var singles = new List<(ProbeKey, DecisionAnswer)>();
        foreach (var token in tokens)
        {
            var candidates = keys.Where(k => k.Token == token).ToList();
            var key = candidates[sampler.Next(candidates.Count)];
            singles.Add((key, await SingleAsync(Request(key, @case.Tokens[token], names))));
        }
        return new InstantAnswers(at, tokens, checks, streams.ToDictionary(s => s.t, s => s.Item2),
            access.ToDictionary(a => a.p, a => a.Item2), singles);
    }

    private async Task<DecisionAnswer> SingleAsync(CheckRequest request)
    {
        try
        {
            return new DecisionAnswer(await server.Decisions.CheckAsync(request), null);
        }
        catch (RpcException e)
        {
            return new DecisionAnswer(null, $"{e.StatusCode}: {e.Status.Detail}");
        }
    }

    private async Task<StreamAnswer> StreamAsync(TokenContext token, CaseNames names)
    {
        // Small pages, so that the cursor and the union of pages are exercised too.
        var request = new AccessiblePatientsRequest { Token = token, Interaction = Interaction.SearchType, ResourceType = "Observation", PageSize = 2 };
        var pages = new List<AccessiblePatientsPage>();
        try
        {
            using var call = server.Decisions.StreamAccessiblePatients(request);
            await foreach (var page in call.ResponseStream.ReadAllAsync())
            {
                pages.Add(page);
            }
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.InvalidArgument)
        {
            return new StreamAnswer(false, [], [], [], true, $"{e.StatusCode}: {e.Status.Detail}");
        }
        if (pages.Count == 0)
        {
            return new StreamAnswer(false, [], [], [], false, "the stream sent no page");
        }
        var first = pages[0];
        // In local names; other cases' patients (exclusions of an all-patients screen) are left aside.
        return new StreamAnswer(first.AllPatients, Local(pages.SelectMany(p => p.PatientIds)), Local(first.ExcludedPatientIds),
            [.. first.GrantingSets.Select(LocalSets)], pages[^1].Complete, null);

        IReadOnlyList<string> Local(IEnumerable<string> ids) => [.. ids.Select(names.LocalId).OfType<string>()];

        SetUnion LocalSets(SetUnion union)
        {
            var local = new SetUnion { Term = union.Term };
            local.Sets.AddRange(union.Sets.Select(s => names.LocalReference(s) ?? $"{s} (of another case)"));
            return local;
        }
    }

    private async Task<IReadOnlyList<AccessPath>> WhoCanSeeAsync(CaseNames names, string patient, DateTimeOffset at) =>
        [.. (await server.Admin.WhoCanSeeAsync(new WhoCanSeeRequest { PatientId = names.Id(patient), At = Timestamp.FromDateTimeOffset(at) })).Paths];

    public static CheckRequest Request(ProbeKey key, TokenSpec token, CaseNames names)
    {
        var request = new CheckRequest { Token = Wire(token, names), ResourceType = "Observation" };
        switch (key.Probe)
        {
            case Probe.NamedSearch:
                request.Interaction = Interaction.SearchType;
                request.Query = $"patient={names.Id(key.Patient!)}";
                break;
            case Probe.UntargetedSearch:
                request.Interaction = Interaction.SearchType;
                request.Query = $"code={DataVariant.LoincCode}";
                break;
            case Probe.ResultRead:
                request.Interaction = Interaction.Read;
                request.ResourceId = $"result-{names.Id(key.Patient!)}";
                request.Stored = new ResourceState { Facts = ResultFacts(ResultSpec.Decode(key.Label!), names) };
                break;
            default:
                request.Interaction = Interaction.Read;
                request.ResourceId = $"obs-{names.Id(key.Patient!)}";
                var variant = key.Probe == Probe.VariantRead ? DataVariant.Named(key.Label!) : null;
                var facts = new ResourceFacts { Complete = true };
                facts.Patients.Add(names.Id(key.Patient!));
                facts.Code.Add(variant?.Code ?? DataVariant.LoincCode);
                if ((variant is null ? key.Label : variant.Label) is { } label)
                {
                    facts.Security.Add(label);
                }
                request.Stored = new ResourceState { Facts = facts };
                break;
        }
        return request;
    }

    /// <summary>A search result's facts as the FHIR server extracted them (complete; every patient it references).</summary>
    public static ResourceFacts ResultFacts(ResultSpec result, CaseNames names)
    {
        var facts = new ResourceFacts { Complete = true };
        facts.Patients.AddRange(result.Patients.Select(names.Id));
        facts.Code.Add(DataVariant.LoincCode);
        facts.CarriedTypes.AddRange(result.Carried);
        if (result.Label is { } label)
        {
            facts.Security.Add(label);
        }
        return facts;
    }

    public static TokenContext Wire(TokenSpec token, CaseNames names)
    {
        var wire = new TokenContext
        {
            ClientId = names.Id(token.Client),
            FhirUser = token.User is null ? "" : names.Reference(token.User),
            Scope = token.Scope,
            LaunchPatient = token.Launch is null ? "" : names.Id(token.Launch),
            PurposeOfUse = token.Purpose ?? "",
            BreakGlassReason = token.BreakGlassReason ?? "",
            Jti = $"{names.Prefix}consistency",
        };
        wire.FhirContext.AddRange(token.Context.Select(names.Reference));
        wire.UserAffiliations.AddRange(token.Affiliations.Select(names.Reference));
        return wire;
    }
}
