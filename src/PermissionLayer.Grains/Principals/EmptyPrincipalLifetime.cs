namespace PermissionLayer.Grains.Principals;

/// <summary>
/// How long an activation of a principal that holds no entitlement (no grant, role or care team)
/// lives. Decisions for principals nobody has heard of (a misconfigured PEP, a flood of made-up
/// users) would otherwise leave one activation each for the collection age: memory grows with the
/// number of names ever asked, not with the entitlements on record. Shorter: less memory per
/// unknown name; each such principal asked again costs a cold load (three short queries) per lifetime.
/// </summary>
public sealed record EmptyPrincipalLifetime(TimeSpan Value)
{
    public static readonly EmptyPrincipalLifetime Default = new(TimeSpan.FromSeconds(10));
}
