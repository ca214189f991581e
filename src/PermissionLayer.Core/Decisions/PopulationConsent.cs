namespace PermissionLayer.Core.Decisions;

/// <summary>
/// The consent term of a search that names no patient: every patient the other terms reach is screened
/// against their consents (<see cref="PopulationScreen"/>), and those whose consent withholds the data are left out.
/// </summary>
public static class PopulationConsent
{
    /// <summary>The consent term's reason for the population before and after the screen.</summary>
    public static DecisionReason Reason(AccessiblePatients population, AccessiblePatients screened, PopulationScreen screen)
    {
        if (!screened.AllPatients && screened.Patients.Count == 0)
        {
            var reached = population.AllPatients ? "every patient" : $"all {population.Patients.Count} patient(s) the search could reach";
            return DecisionReason.Deny(DecisionTerm.Consent, "consent.withholds-all",
                $"for {reached}, a consent (or, for patients without one, the deployment default) withholds the data from this requester: the search could return nothing");
        }
        if (screen.OnlyPermitted is { } permitted)
        {
            return DecisionReason.Permit(DecisionTerm.Consent, "consent.only-consenting",
                $"the deployment default denies patients without consent: results are limited to the {permitted.Count} patient(s) whose consent permits");
        }
        return screen.Withheld.Count == 0
            ? DecisionReason.Permit(DecisionTerm.Consent, "consent.screened",
                $"no accessible patient's consent withholds the data ({screen.PatientsWithConsents} patient(s) have consents on record)")
            : DecisionReason.Permit(DecisionTerm.Consent, "consent.withheld",
                $"{screen.Withheld.Count} accessible patient(s) whose consent withholds the data are left out of the results (the obligation's excluded patients)");
    }
}
