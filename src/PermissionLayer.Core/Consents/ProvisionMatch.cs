using PermissionLayer.Core.Labels;

namespace PermissionLayer.Core.Consents;

/// <summary>
/// Whether a provision's elements match a request: <see cref="Yes"/>, <see cref="No"/>, or
/// <see cref="Maybe"/> when it depends on something the request does not know or cannot show (a
/// search's data, an unrecorded date, a code without its system, facts that may be incomplete: see
/// <see cref="ElementFit"/>). <see cref="SensitivityOnly"/> says a search's Maybe hinges only on
/// sensitivity labels, which the search can exclude by label.
/// </summary>
public readonly record struct ProvisionMatch(bool Yes, bool Maybe, bool SensitivityOnly)
{
    public static readonly ProvisionMatch No = new(false, false, false);

    public static ProvisionMatch Of(ConsentProvision p, ConsentRequest request)
    {
        var context = ElementFit.Period(p, request)
            .And(ElementFit.Actors(p, request))
            .And(ElementFit.Actions(p, request))
            .And(ElementFit.Purposes(p, request))
            .And(ElementFit.Classes(p, request));
        if (context == Fit.No)
        {
            return No;
        }
        var data = ElementFit.Codes(p, request).And(ElementFit.DataPeriod(p, request)).And(ElementFit.Data(p, request));
        var labels = ElementFit.Labels(p, request);
        return context.And(data).And(labels) switch
        {
            Fit.Yes => new(true, false, false),
            Fit.No => No,
            // An exclusion by label only narrows a search; for data the request describes, a deny counts.
            _ => new(false, true, request.DataUnknown && context == Fit.Yes && data == Fit.Yes && labels == Fit.Maybe
                && p.SecurityLabels.All(l => !Confidentiality.IsLabel(l))),
        };
    }
}
