namespace PermissionLayer.Core.Obligations;

/// <summary>What a search's obligation says about one of its results.</summary>
public enum AdmissionOutcome
{
    /// <summary>The result may be returned: a read of it by the same token would be permitted.</summary>
    Admit,

    /// <summary>The result must be left out.</summary>
    Deny,

    /// <summary>The obligation cannot tell from the data it carries: decide the result with Check (or CheckBatch) as a read.</summary>
    NeedsCheck,
}
