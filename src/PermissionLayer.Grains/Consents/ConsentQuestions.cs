using PermissionLayer.Core.Consents;
using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Requests;
using PermissionLayer.Grains.Abstractions.Consents;

namespace PermissionLayer.Grains.Consents;

/// <summary>A consent question as it travels between grains, turned back into the evaluator's request.</summary>
internal static class ConsentQuestions
{
    public static ConsentRequest ToRequest(this ConsentQuestion question) => new()
    {
        Actors = question.Actors.ToHashSet(StringComparer.Ordinal),
        Actions = question.Actions.ToHashSet(StringComparer.Ordinal),
        Purpose = question.Purpose,
        ResourceType = question.ResourceType,
        CarriedTypes = question.CarriedTypes,
        Codes = [.. question.Codes.Select(Token.Parse)],
        Labels = [.. question.Labels.Select(Token.Parse)],
        RecordedAt = question.RecordedAt,
        Reference = question.Reference,
        At = question.At,
        DataUnknown = question.DataUnknown,
        FactsComplete = question.FactsComplete,
    };

    /// <summary>The core's screen as it travels back from a registry shard.</summary>
    public static ConsentScreen ToScreen(this PopulationScreen screen) =>
        new(screen.Withheld, screen.OnlyPermitted, screen.PatientsWithConsents) { CarriedWithheld = screen.CarriedWithheld };

    /// <summary>A registry shard's screen, turned back into the core's.</summary>
    public static PopulationScreen ToPopulationScreen(this ConsentScreen screen) =>
        new(screen.Withheld, screen.OnlyPermitted, screen.PatientsWithConsents) { CarriedWithheld = screen.CarriedWithheld };

    /// <summary>The evaluator's request as it travels to a patient's consent grain.</summary>
    public static ConsentQuestion ToQuestion(this ConsentRequest request) => new(
        [.. request.Actors], [.. request.Actions], request.Purpose, request.ResourceType,
        [.. request.Codes.Select(t => t.ToString())], [.. request.Labels.Select(t => t.ToString())],
        request.RecordedAt, request.Reference, request.At, request.DataUnknown, request.FactsComplete)
    {
        CarriedTypes = request.CarriedTypes,
    };
}
