using PermissionLayer.Core.Requests;

namespace PermissionLayer.Core.Decisions;

/// <summary>
/// The request a decision is about, once the request contract holds: an operation is replaced by what
/// it does (<see cref="OperationMeaning"/>), and a request that cannot be decided from what it carries
/// is <see cref="Undecidable"/> (a DENY that says why). The composition decides only a meaning.
/// </summary>
public sealed record RequestMeaning
{
    private RequestMeaning(DecisionRequest request, DecisionReason? undecidable) => (Request, Undecidable) = (request, undecidable);

    public DecisionRequest Request { get; }

    /// <summary>Why the request is denied before any term is asked; null when it can be decided.</summary>
    public DecisionReason? Undecidable { get; }

    /// <summary>Enforces the contract (throws <see cref="RequestValidationException"/>) and resolves an operation.</summary>
    public static RequestMeaning Of(DecisionRequest request)
    {
        RequestContract.Enforce(request);
        if (request.Interaction == Interaction.Operation)
        {
            // The operation's own parameters first: its meaning (a search) replaces the query.
            if (RequestContract.Undecidable(request) is { } selects)
            {
                return new RequestMeaning(request, selects);
            }
            var (meaning, unsupported) = OperationMeaning.Resolve(request);
            if (unsupported is not null)
            {
                return new RequestMeaning(request, unsupported);
            }
            request = meaning!;
            RequestContract.Enforce(request);
        }
        return new RequestMeaning(request, RequestContract.Undecidable(request));
    }
}
