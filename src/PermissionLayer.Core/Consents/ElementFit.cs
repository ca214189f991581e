using PermissionLayer.Core.Labels;
using PermissionLayer.Core.References;
using PermissionLayer.Core.Requests;

namespace PermissionLayer.Core.Consents;

/// <summary>
/// How each element of a provision fits a request. Whatever the request does not state, states in a
/// way that cannot be read, or may have left out (<see cref="ConsentRequest.FactsComplete"/>) is a
/// Maybe, never a No: a No skips a deny, which would fail open.
/// </summary>
internal static class ElementFit
{
    public static Fit Period(ConsentProvision p, ConsentRequest r) =>
        p.Period is null ? Fit.Yes : Fits.Within(p.Period, r.At);

    /// <summary>Actors are the requester's identities: one that cannot be read names nobody in particular.</summary>
    public static Fit Actors(ConsentProvision p, ConsentRequest r) =>
        p.Actors.Count == 0 ? Fit.Yes
        : r.Actors.Count == 0 ? Fit.Maybe
        : Fits.AnyOf(p.Actors, a => r.Actors.Contains(a.Reference) ? Fit.Yes : Fits.AnyOf(r.Actors, given => SameResource(a.Reference, given, unreadable: Fit.No)));

    /// <summary>
    /// A provision naming every need of the request (<see cref="ConsentActions.Needs"/>) fits; one
    /// naming only some (a deny of access, for a PATCH that also reads) may: a deny counts, a permit not.
    /// </summary>
    public static Fit Actions(ConsentProvision p, ConsentRequest r)
    {
        if (p.Actions.Count == 0)
        {
            return Fit.Yes;
        }
        var needs = ConsentActions.Needs(r.Actions);
        var named = needs.Count(p.Actions.Overlaps);
        return needs.Count == 0 ? Fit.Maybe : named == needs.Count ? Fit.Yes : named == 0 ? Fit.No : Fit.Maybe;
    }

    /// <summary>
    /// Provision purposes are ActReason codes (the compiler rejects others). The request's may be a bare
    /// code or <c>system|code</c>; in another system, absent, or a code whose place in the hierarchy is
    /// not known, it may be any purpose (<see cref="Requests.PurposeOfUse.Within"/>).
    /// </summary>
    public static Fit Purposes(ConsentProvision p, ConsentRequest r) =>
        p.Purposes.Count == 0 ? Fit.Yes : Requests.PurposeOfUse.Within(r.Purpose, p.Purposes);

    /// <summary>
    /// A system-level request (<c>*</c>) or one that names no type may touch any type. Data carries the
    /// resources inside it (a contained Observation, a Bundle's entries): a class naming every type of it
    /// fits, one naming some may (a deny counts, a permit does not). The types are what the facts list
    /// (FHIR JSON: every carried resource), as a search is decided for the type it searches.
    /// </summary>
    public static Fit Classes(ConsentProvision p, ConsentRequest r)
    {
        if (p.Classes.Count == 0)
        {
            return Fit.Yes;
        }
        if (string.IsNullOrWhiteSpace(r.ResourceType) || r.ResourceType == "*")
        {
            return Fit.Maybe;
        }
        // Most data carries nothing: the searched or read type alone decides, without building a list.
        if (r.CarriedTypes.Count == 0)
        {
            return p.Classes.Contains(r.ResourceType) ? Fit.Yes : Fit.No;
        }
        var types = r.CarriedTypes.Append(r.ResourceType).Distinct(StringComparer.Ordinal).ToList();
        var named = types.Count(p.Classes.Contains);
        return named == types.Count ? Fit.Yes
            : named > 0 ? Fit.Maybe
            : Fit.No;
    }

    public static Fit Codes(ConsentProvision p, ConsentRequest r) =>
        p.Codes.Count == 0 ? Fit.Yes
        : r.DataUnknown ? Fit.Maybe
        : Fits.AnyOf(p.Codes, c => Fits.AnyOf(r.Codes, d => SameToken(c, d))).UnlessIncomplete(r.FactsComplete);

    public static Fit Labels(ConsentProvision p, ConsentRequest r) =>
        p.SecurityLabels.Count == 0 ? Fit.Yes
        : r.DataUnknown ? Fit.Maybe
        : Fits.AnyOf(p.SecurityLabels, l => Label(l, r));

    public static Fit DataPeriod(ConsentProvision p, ConsentRequest r) =>
        p.DataPeriod is null ? Fit.Yes
        : r.DataUnknown || r.RecordedAt is null ? Fit.Maybe
        : Fits.Within(p.DataPeriod, r.RecordedAt.Value);

    /// <summary>The data's own reference: when it cannot be read, the data may be any resource.</summary>
    public static Fit Data(ConsentProvision p, ConsentRequest r) =>
        p.Data.Count == 0 ? Fit.Yes
        : r.DataUnknown || string.IsNullOrWhiteSpace(r.Reference) ? Fit.Maybe
        : Fits.AnyOf(p.Data, d => SameResource(d.Reference, r.Reference, unreadable: Fit.Maybe));

    /// <summary>
    /// A confidentiality label is a high-water mark (CONSENT.md): "R" covers data whose highest
    /// confidentiality is R or lower, unlabelled (normal) data included. When the labels may be
    /// incomplete, a higher one may be missing, so only V (which covers everything) surely fits.
    /// Other labels must be on the data.
    /// </summary>
    private static Fit Label(Token label, ConsentRequest r)
    {
        if (!Confidentiality.IsLabel(label))
        {
            return Fits.AnyOf(r.Labels, d => SameToken(label, d)).UnlessIncomplete(r.FactsComplete);
        }
        if (!Confidentiality.IsCode(label.Code))
        {
            return Fit.Maybe; // not on the scale: what it covers is unknown
        }
        var level = Confidentiality.Rank(label.Code);
        if (Confidentiality.Rank(Confidentiality.HighWaterMark(r.Labels)) > level)
        {
            return Fit.No;
        }
        return r.FactsComplete || label.Code == Confidentiality.Highest ? Fit.Yes : Fit.Maybe;
    }

    /// <summary>
    /// Whether a data token is the provision's. A provision token without a system matches the code in
    /// any system; a data token without a system, or without a code, may be the provision's.
    /// </summary>
    private static Fit SameToken(Token criterion, Token data)
    {
        var code = data.Code.Length == 0 ? Fit.Maybe : Fits.Of(criterion.Code.Length == 0 || criterion.Code == data.Code);
        var system = CodeSystemAliases.HasNoSystem(criterion) ? Fit.Yes
            : CodeSystemAliases.HasNoSystem(data) ? Fit.Maybe
            : Fits.Of(CodeSystemAliases.Canonical(criterion.System) == CodeSystemAliases.Canonical(data.System));
        return code.And(system);
    }

    /// <summary>
    /// Whether <paramref name="given"/> names the resource <paramref name="named"/> (a relative
    /// <c>Type/id</c>). A version of it is it; an absolute URL ending in it may be this server's or
    /// another's; anything else that cannot be read is <paramref name="unreadable"/>.
    /// </summary>
    private static Fit SameResource(string named, string given, Fit unreadable)
    {
        if (given == named)
        {
            return Fit.Yes;
        }
        if (!given.Contains("/_history/", StringComparison.Ordinal) && !given.Contains(':', StringComparison.Ordinal))
        {
            // Neither versioned nor absolute (the common case, kept cheap for population screens).
            return unreadable == Fit.No || FhirReference.TryParse(given, out _) ? Fit.No : unreadable;
        }
        var (target, certain) = Read(given);
        return target is null ? unreadable
            : target.Value.ToString() != named ? Fit.No
            : certain ? Fit.Yes : Fit.Maybe;
    }

    private static (FhirReference? Target, bool Certain) Read(string reference)
    {
        var history = reference.IndexOf("/_history/", StringComparison.Ordinal);
        var value = history < 0 ? reference : reference[..history];
        if (FhirReference.TryParse(value, out var relative))
        {
            return (relative, true);
        }
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (segments.Length >= 2 && FhirReference.TryParse($"{segments[^2]}/{segments[^1]}", out var tail))
            {
                return (tail, false);
            }
        }
        return (null, false);
    }
}
