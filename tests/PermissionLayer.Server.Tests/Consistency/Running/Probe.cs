namespace PermissionLayer.Server.Tests.Consistency.Running;

/// <summary>The requests the suite asks for each token: per patient, and the one search that names none.</summary>
internal enum Probe
{
    /// <summary>SEARCH_TYPE Observation with <c>patient=&lt;p&gt;</c>.</summary>
    NamedSearch,
    /// <summary>READ of an unlabelled Observation of the patient (facts: patients=[p], a LOINC code).</summary>
    Read,
    /// <summary>READ of the same Observation carrying one security label.</summary>
    LabelledRead,
    /// <summary>READ of the same Observation written another way (a DataVariant, named by the key's label).</summary>
    VariantRead,
    /// <summary>SEARCH_TYPE Observation naming no patient.</summary>
    UntargetedSearch,
    /// <summary>READ of a search result (a <c>ResultSpec</c>, encoded in the key's label), with the facts the PEP has.</summary>
    ResultRead,
}
