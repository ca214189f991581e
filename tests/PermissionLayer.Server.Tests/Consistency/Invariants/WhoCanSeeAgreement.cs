using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Consistency.Running;

namespace PermissionLayer.Server.Tests.Consistency.Invariants;

/// <summary>
/// (c) Check of a read of an unlabelled Observation permits ⇒ WhoCanSee (at that instant) lists a path
/// with 'r' for every principal whose entitlements the decision needed: the client, and the user when a
/// user/ or patient/ scope permitted. WhoCanSee "lists entitlements only: a user still needs a client
/// and scopes, and consent and labels still apply" (admin.proto), so the converse holds exactly when
/// none of those restricts: a token with no fhirContext whose kept scopes permit the read, a patient with
/// no consent, and a listed path that covers Observation and the purpose (AccessPath does not show a
/// grant's type and purpose limits; the suite looks them up by grant id).
/// </summary>
internal static class WhoCanSeeAgreement
{
    public const string PermitImpliesListed = "c. Check(read) permits ⇒ WhoCanSee lists the client and the user with 'r'";
    public const string ListedImpliesPermit = "c. WhoCanSee lists client and user, nothing else restricts ⇒ Check(read) permits";

    public static IEnumerable<Violation> Check(CaseContext c)
    {
        foreach (var token in c.Tokens)
        {
            var spec = c.Token(token);
            foreach (var patient in c.Patients)
            {
                var read = c.Check(token, Probe.Read, patient);
                var paths = c.Answers.Access[patient];
                var (scopePermits, userTerm) = ScopeModel.ReadsObservation(spec, c.Model.Graph.Client(spec.Client), patient);
                var needed = new List<string> { spec.ClientPrincipal };
                if (spec.User is { } user && (userTerm || !scopePermits))
                {
                    needed.Add(user);
                }
                if (c.Premise(PermitImpliesListed, read.Permitted))
                {
                    foreach (var principal in needed.Where(p => !paths.Any(path => Is(c, path, p) && path.Actions.Contains('r'))))
                    {
                        yield return c.Violation(PermitImpliesListed, principal.StartsWith("Client/", StringComparison.Ordinal) ? "client not listed" : "user not listed",
                            token, patient, $"a path of {principal} with 'r'", $"Check: {read}; WhoCanSee: {Describe(c, paths)}");
                    }
                }
                if (c.Premise(ListedImpliesPermit, scopePermits && spec.Context.Count == 0 && !c.Model.HasConsent(patient)
                        && needed.All(p => paths.Any(path => Is(c, path, p) && Allows(c, path, spec.EffectivePurpose))))
                    && !read.Permitted)
                {
                    yield return c.Violation(ListedImpliesPermit, $"Check denies by {read.Decider}", token, patient,
                        "Check permits", $"Check: {read}; WhoCanSee: {Describe(c, paths)}");
                }
            }
        }
    }

    private static bool Is(CaseContext c, AccessPath path, string principal) => c.Names.LocalReference(path.Principal) == principal;

    /// <summary>The path allows reading an Observation for the purpose: 'r', and its grant (if any) not limited otherwise.</summary>
    private static bool Allows(CaseContext c, AccessPath path, string purpose) =>
        path.Actions.Contains('r')
        && (path.GrantId.Length == 0 || (c.Loaded.GrantsById.TryGetValue(path.GrantId, out var grant) && grant.Covers("r", ReferenceModel.ResourceType, purpose)));

    private static string Describe(CaseContext c, IEnumerable<AccessPath> paths)
    {
        var own = paths.Select(p => (Path: p, Local: c.Names.LocalReference(p.Principal))).Where(p => p.Local is not null)
            .Select(p => $"{p.Local} via {c.Names.LocalReference(p.Path.Via) ?? p.Path.Via} {p.Path.Actions}").ToList();
        return own.Count == 0 ? "no path of this case" : string.Join("; ", own);
    }
}
