namespace PermissionLayer.Gateway.Enforcement;

/// <summary>The decision ids one request caused, sent back in <see cref="HeaderName"/> to join the response to the audit.</summary>
public sealed class DecisionLog
{
    public const string HeaderName = "X-Decision-Id";

    private readonly List<string> _ids = [];

    public IReadOnlyList<string> Ids => _ids;

    public void Add(string id)
    {
        if (!string.IsNullOrEmpty(id))
        {
            lock (_ids)
            {
                _ids.Add(id);
            }
        }
    }
}
