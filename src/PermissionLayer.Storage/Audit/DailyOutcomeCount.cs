namespace PermissionLayer.Storage.Audit;

/// <summary>How many decisions of one outcome (<c>permit</c> or <c>deny</c>) fell on one UTC day.</summary>
public sealed record DailyOutcomeCount(DateOnly Day, string Outcome, long Count);
