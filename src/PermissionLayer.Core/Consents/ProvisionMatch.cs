using PermissionLayer.Core.Labels;
using PermissionLayer.Core.Requests;

namespace PermissionLayer.Core.Consents;

/// <summary>
/// Whether a provision's elements match a request: <see cref="Yes"/>, <see cref="No"/>, or
/// <see cref="Maybe"/> when it depends on something the request does not know (a search's data, an
/// unrecorded date). <see cref="SensitivityOnly"/> says a Maybe hinges only on sensitivity labels,
/// which a search can exclude by label.
/// </summary>
public readonly record struct ProvisionMatch(bool Yes, bool Maybe, bool SensitivityOnly)
{
    public static readonly ProvisionMatch No = new(false, false, false);

    public static ProvisionMatch Of(ConsentProvision p, ConsentRequest request)
    {
        if ((p.Period is not null && !p.Period.Covers(request.At))
            || (p.Actors.Count > 0 && !p.Actors.Any(a => request.Actors.Contains(a.Reference)))
            || (p.Actions.Count > 0 && !p.Actions.Overlaps(request.Actions))
            || (p.Purposes.Count > 0 && !p.Purposes.Contains(request.Purpose)))
        {
            return No;
        }
        var unknown = false;
        if (p.Classes.Count > 0)
        {
            // A system-level request ("*") may touch any type: whether the class applies is unknown.
            if (request.ResourceType == "*")
            {
                unknown = true;
            }
            else if (!p.Classes.Contains(request.ResourceType))
            {
                return No;
            }
        }
        if (request.DataUnknown)
        {
            var dataDependent = p.Codes.Count > 0 || p.DataPeriod is not null || p.Data.Count > 0;
            var labelDependent = p.SecurityLabels.Count > 0;
            if (!dataDependent && !labelDependent)
            {
                return unknown ? new(false, true, false) : new(true, false, false);
            }
            var sensitivityOnly = !unknown && !dataDependent && p.SecurityLabels.All(l => !Confidentiality.IsLabel(l));
            return new(false, true, sensitivityOnly);
        }
        if ((p.Codes.Count > 0 && !p.Codes.Any(c => request.Codes.Any(d => d.Satisfies(c))))
            || (p.SecurityLabels.Count > 0 && !p.SecurityLabels.Any(l => LabelMatches(l, request.Labels))))
        {
            return No;
        }
        if (p.DataPeriod is not null)
        {
            if (request.RecordedAt is null)
            {
                unknown = true;
            }
            else if (!p.DataPeriod.Covers(request.RecordedAt.Value))
            {
                return No;
            }
        }
        if (p.Data.Count > 0)
        {
            if (request.Reference is null)
            {
                unknown = true;
            }
            else if (!p.Data.Any(d => d.Reference == request.Reference))
            {
                return No;
            }
        }
        return unknown ? new(false, true, false) : new(true, false, false);
    }

    /// <summary>
    /// A confidentiality label is a high-water mark (CONSENT.md): "R" covers data whose highest
    /// confidentiality is R or lower, unlabelled (normal) data included. Other labels must be on the data.
    /// </summary>
    private static bool LabelMatches(Token label, IReadOnlyList<Token> data) =>
        Confidentiality.IsLabel(label)
            ? Confidentiality.Rank(Confidentiality.HighWaterMark(data)) <= Confidentiality.Rank(label.Code)
            : data.Any(d => d.Satisfies(label));
}
