namespace PermissionLayer.DataGenerator.Generation;

/// <summary>
/// The facts of one generated network as pure functions of its size and seed: who a practitioner's
/// panel holds, which patients a Group has, who takes part in a care team. Nothing is kept per patient,
/// so the generator, the request mix and the facts summary agree without a database, and a million
/// patients cost no memory. Only the small reverse indexes (a practitioner's group grants and care
/// teams) are built, once.
/// </summary>
public sealed class HospitalNetwork
{
    private readonly List<GroupGrant>[] _groupGrants;
    private readonly List<int>[] _careTeams;

    public HospitalNetwork(NetworkSize size)
    {
        Size = size;
        _groupGrants = [.. Enumerable.Range(0, size.Practitioners).Select(_ => new List<GroupGrant>())];
        for (var g = 0; g < size.Groups; g++)
        {
            foreach (var grant in GroupGrants(g))
            {
                _groupGrants[grant.Practitioner].Add(grant);
            }
        }
        _careTeams = [.. Enumerable.Range(0, size.Practitioners).Select(_ => new List<int>())];
        for (var c = 0; c < size.CareTeams; c++)
        {
            foreach (var participant in CareTeam(c).Participants.Select(p => p.Practitioner).Distinct())
            {
                _careTeams[participant].Add(c);
            }
        }
        ConsentPatients = DistinctSample.Draw(Random("consent-patients", 0), size.Patients, size.Consents);
    }

    public NetworkSize Size { get; }

    public ulong Seed => Size.Seed;

    public SeededRandom Random(string purpose, long index) => SeededRandom.For(Size.Seed, purpose, index);

    public static string PatientId(long i) => $"p{i}";
    public static string OrganizationId(int j) => $"org{j}";
    public static string PractitionerId(int k) => $"dr{k}";
    public static string GroupId(int g) => $"ward{g}";
    public static string CareTeamId(int c) => $"ct{c}";
    public static string ClientId(int a) => $"app{a}";
    public static string ConsentId(int c) => $"consent{c}";

    public int OrganizationOfPatient(long patient) => (int)(patient % Size.Organizations);

    public int OrganizationOfPractitioner(int practitioner) => practitioner % Size.Organizations;

    /// <summary>The m-th patient of an organization.</summary>
    public long PatientOfOrganization(int organization, long m) => organization + (long)Size.Organizations * m;

    /// <summary>A practitioner of an organization (the r-th of its staff, wrapping).</summary>
    public int PractitionerOfOrganization(int organization, int r)
    {
        var staff = Math.Max(1, (Size.Practitioners - organization + Size.Organizations - 1) / Size.Organizations);
        return organization + Size.Organizations * (r % staff);
    }

    public int PanelSize(int practitioner)
    {
        if (practitioner < Size.BigPanels.Count)
        {
            return Size.BigPanels[practitioner];
        }
        var random = Random("panel-size", practitioner);
        var size = (int)Math.Round(Size.PanelMedian * Math.Exp(Size.PanelSigma * random.NextGaussian()));
        return Math.Clamp(size, 3, Math.Min(Size.PanelCap, Size.PatientsPerOrganization));
    }

    /// <summary>A panel: patients of the practitioner's organization when it fits there, else of the whole network.</summary>
    public PatientDraw Panel(int practitioner)
    {
        var size = PanelSize(practitioner);
        var random = Random("panel", practitioner);
        return size <= Size.PatientsPerOrganization
            ? new PatientDraw(DistinctSample.Draw(random, Size.PatientsPerOrganization, size), OrganizationOfPractitioner(practitioner), Size.Organizations)
            : new PatientDraw(DistinctSample.Draw(random, Size.Patients, size), 0, 1);
    }

    public GroupShape Group(int g)
    {
        var random = Random("group", g);
        var size = Math.Min(Size.PatientsPerOrganization, Size.GroupSize - Size.GroupSize / 5 + random.Next(Size.GroupSize * 2 / 5 + 1));
        var organization = g % Size.Organizations;
        return new GroupShape(g, organization, new PatientDraw(DistinctSample.Draw(random, Size.PatientsPerOrganization, size), organization, Size.Organizations));
    }

    /// <summary>A membership's period: most began in the past and are open, some ended, some begin later.</summary>
    public MembershipPeriod Membership(int g, int t)
    {
        var random = Random("membership", ((long)g << 20) + t);
        var roll = random.NextDouble();
        return roll switch
        {
            < 0.80 => new MembershipPeriod(Dates.Past(random), null, true),
            < 0.90 => new MembershipPeriod(Dates.LongPast(random), Dates.RecentPast(random), false),
            _ => new MembershipPeriod(Dates.Future(random), null, false),
        };
    }

    /// <summary>The practitioners attending a ward: 3–6 of its organization's staff.</summary>
    public IEnumerable<GroupGrant> GroupGrants(int g)
    {
        var random = Random("group-grants", g);
        var organization = g % Size.Organizations;
        var count = 3 + random.Next(4);
        var seen = new HashSet<int>();
        for (var i = 0; i < count; i++)
        {
            var practitioner = PractitionerOfOrganization(organization, random.Next(1 << 20));
            if (!seen.Add(practitioner))
            {
                continue;
            }
            var writes = random.Chance(0.3);
            var labels = random.Chance(0.2);
            yield return new GroupGrant(practitioner, g, writes ? "cruds" : "rs", labels ? "R" : null, labels ? ["PSY"] : []);
        }
    }

    public IReadOnlyList<GroupGrant> GroupGrantsOf(int practitioner) => _groupGrants[practitioner];

    public IReadOnlyList<int> CareTeamsOf(int practitioner) => _careTeams[practitioner];

    public bool HasOrganizationGrant(int practitioner) =>
        practitioner >= Size.BigPanels.Count && Random("org-grant", practitioner).Chance(Size.OrganizationGrantShare);

    public CareTeamShape CareTeam(int c)
    {
        var random = Random("careteam", c);
        var subject = random.NextLong(Size.Patients);
        var organization = OrganizationOfPatient(subject);
        var roll = random.NextDouble();
        var status = roll < 0.85 ? "active" : roll < 0.95 ? "inactive" : "proposed";
        var count = 2 + random.Next(3);
        var participants = new List<CareTeamMember>(count);
        var seen = new HashSet<int>();
        for (var i = 0; i < count; i++)
        {
            var practitioner = PractitionerOfOrganization(organization, random.Next(1 << 20));
            if (seen.Add(practitioner))
            {
                // A locum whose period has ended, now and then: they no longer reach the subject.
                participants.Add(random.Chance(0.1)
                    ? new CareTeamMember(practitioner, Dates.LongPast(random), Dates.RecentPast(random))
                    : new CareTeamMember(practitioner, null, null));
            }
        }
        return new CareTeamShape(c, subject, status, Dates.Past(random), random.Chance(0.3) ? Dates.Future(random) : null, participants);
    }

    public DistinctSample ConsentPatients { get; }

    public ClientShape Client(int a)
    {
        var random = Random("client", a);
        if (a == 0)
        {
            return new ClientShape(a, "Hospital EHR", "active", "user/*.cruds patient/*.rs", true, []);
        }
        var trusted = random.Chance(0.1);
        var groups = trusted ? [] : Enumerable.Range(0, 2 + random.Next(4)).Select(_ => random.Next(Size.Groups)).Distinct().ToList();
        var status = random.Chance(0.02) ? "suspended" : "active";
        return new ClientShape(a, $"Ward app {a}", status, "user/*.rs", trusted, groups);
    }
}
