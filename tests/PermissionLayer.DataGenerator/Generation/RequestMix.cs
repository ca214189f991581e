using Google.Protobuf.WellKnownTypes;
using PermissionLayer.Contracts.V1;

namespace PermissionLayer.DataGenerator.Generation;

/// <summary>
/// The realistic request mix of issue 15 §2, as lines the load generator replays: reads (most),
/// searches naming a patient, searches naming none (narrowing), CheckBatch of 20, a share of denies
/// (patients out of reach, group-bounded apps, research purpose, labelled data), 1% writes.
/// Requesters are drawn by a power law (Zipf, exponent 1.1) over the practitioners, so most calls
/// find a warm principal and some a cold one. Each line is
/// <c>{"kind":"check"|"batch","label":…,"request":&lt;CheckRequest or CheckBatchRequest JSON&gt;}</c>.
/// </summary>
public sealed class RequestMix(HospitalNetwork network)
{
    public const int BatchEntries = 20;
    private const string Laboratory = "http://terminology.hl7.org/CodeSystem/observation-category|laboratory";
    private static readonly string[] Codes = ["http://loinc.org|2345-7", "http://loinc.org|718-7", "http://loinc.org|8867-4", "http://loinc.org|72166-2"];
    private readonly double[] _zipf = ZipfCdf(network.Size.Practitioners, 1.1);

    public Dictionary<string, long> Labels { get; } = new(StringComparer.Ordinal);

    /// <summary>The practitioner of a Zipf rank: a fixed shuffle, so the most frequent requesters are not dr0, dr1, …</summary>
    public int PractitionerAtRank(int rank) => (int)(((long)rank * 7_919 + 4_111) % network.Size.Practitioners);

    public IEnumerable<string> Lines()
    {
        for (var i = 0; i < network.Size.MixRequests; i++)
        {
            var random = network.Random("mix", i);
            var practitioner = PractitionerAtRank(Rank(random));
            var roll = random.NextDouble();
            string kind, label, json;
            if (roll < 0.10)
            {
                var batch = new CheckBatchRequest();
                for (var e = 0; e < BatchEntries; e++)
                {
                    batch.Entries.Add(Read(random, practitioner, out _));
                }
                (kind, label, json) = ("batch", "batch-20-reads", AdminRequests.Json(batch));
            }
            else
            {
                var request = roll switch
                {
                    < 0.11 => Write(random, practitioner, out label),
                    < 0.12 => PopulationSearch(random, practitioner, out label),
                    < 0.27 => PatientSearch(random, practitioner, out label),
                    _ => Read(random, practitioner, out label),
                };
                (kind, json) = ("check", AdminRequests.Json(request));
            }
            Labels[label] = Labels.GetValueOrDefault(label) + 1;
            yield return $"{{\"kind\":\"{kind}\",\"label\":\"{label}\",\"requester\":\"Practitioner/{HospitalNetwork.PractitionerId(practitioner)}\",\"request\":{json}}}";
        }
    }

    private int Rank(SeededRandom random)
    {
        var index = Array.BinarySearch(_zipf, random.NextDouble());
        return Math.Min(_zipf.Length - 1, index < 0 ? ~index : index);
    }

    private TokenContext Token(SeededRandom random, int practitioner, string scope, out string why)
    {
        why = "";
        var client = 0;
        if (network.Size.Clients > 1 && random.Chance(0.08))
        {
            client = 1 + random.Next(network.Size.Clients - 1);
            why = "-ward-app";
        }
        var purpose = "TREAT";
        if (random.Chance(0.03))
        {
            purpose = "HRESCH";
            why += "-research";
        }
        return new TokenContext
        {
            ClientId = HospitalNetwork.ClientId(client),
            FhirUser = $"Practitioner/{HospitalNetwork.PractitionerId(practitioner)}",
            Scope = scope,
            PurposeOfUse = purpose,
        };
    }

    /// <summary>A patient the practitioner reaches (by panel, ward, care team or organization), or now and then anyone.</summary>
    public long Patient(SeededRandom random, int practitioner, out string via)
    {
        var roll = random.NextDouble();
        var groups = network.GroupGrantsOf(practitioner);
        var teams = network.CareTeamsOf(practitioner);
        if (roll < 0.12)
        {
            via = "anyone";
            return random.NextLong(network.Size.Patients);
        }
        if (roll < 0.35 && groups.Count > 0)
        {
            via = "ward";
            var group = network.Group(groups[random.Next(groups.Count)].Group);
            return group.Members[random.Next(group.Members.Count)];
        }
        if (roll < 0.42 && teams.Count > 0)
        {
            via = "careteam";
            return network.CareTeam(teams[random.Next(teams.Count)]).Subject;
        }
        if (roll < 0.45 && network.HasOrganizationGrant(practitioner))
        {
            via = "organization";
            return network.PatientOfOrganization(network.OrganizationOfPractitioner(practitioner), random.NextLong(network.Size.PatientsPerOrganization));
        }
        via = "panel";
        var panel = network.Panel(practitioner);
        return panel[random.Next(panel.Count)];
    }

    private ResourceFacts Facts(SeededRandom random, long patient, out string labelled)
    {
        var facts = new ResourceFacts
        {
            Complete = true,
            Patients = { HospitalNetwork.PatientId(patient) },
            Category = { Laboratory },
            Code = { Codes[random.Next(Codes.Length)] },
            Status = "final",
            RecordedAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2019, 1, 1, 8, 0, 0, TimeSpan.Zero).AddHours(random.Next(7 * 365 * 24))),
        };
        var label = random.NextDouble();
        labelled = label switch { < 0.06 => "-psy", < 0.09 => "-restricted", < 0.10 => "-hiv", _ => "" };
        switch (labelled)
        {
            case "-psy": facts.Security.Add("http://terminology.hl7.org/CodeSystem/v3-ActCode|PSY"); break;
            case "-restricted": facts.Security.Add("http://terminology.hl7.org/CodeSystem/v3-Confidentiality|R"); break;
            case "-hiv": facts.Security.Add("http://terminology.hl7.org/CodeSystem/v3-ActCode|HIV"); break;
        }
        return facts;
    }

    private CheckRequest Read(SeededRandom random, int practitioner, out string label)
    {
        var patient = Patient(random, practitioner, out var via);
        var facts = Facts(random, patient, out var labelled);
        var token = Token(random, practitioner, "user/Observation.rs user/Patient.rs user/Condition.rs", out var why);
        label = $"read-{via}{labelled}{why}";
        return new CheckRequest
        {
            Token = token,
            Interaction = Interaction.Read,
            ResourceType = "Observation",
            ResourceId = $"obs-{HospitalNetwork.PatientId(patient)}-{random.Next(50)}",
            Stored = new ResourceState { Facts = facts },
        };
    }

    private CheckRequest PatientSearch(SeededRandom random, int practitioner, out string label)
    {
        var patient = Patient(random, practitioner, out var via);
        var token = Token(random, practitioner, "user/Observation.rs user/Patient.rs user/Condition.rs", out var why);
        label = $"search-patient-{via}{why}";
        return new CheckRequest
        {
            Token = token,
            Interaction = Interaction.SearchType,
            ResourceType = "Observation",
            Query = $"patient={HospitalNetwork.PatientId(patient)}&category=laboratory",
        };
    }

    private CheckRequest PopulationSearch(SeededRandom random, int practitioner, out string label)
    {
        var token = Token(random, practitioner, "user/Observation.rs user/Patient.rs", out var why);
        label = $"search-population{why}";
        return new CheckRequest
        {
            Token = token,
            Interaction = Interaction.SearchType,
            ResourceType = "Observation",
            Query = "category=laboratory&date=ge2025-01-01",
        };
    }

    /// <summary>A new Observation: permitted where a ward grant carries c (30% of them), denied on a panel (rs only).</summary>
    private CheckRequest Write(SeededRandom random, int practitioner, out string label)
    {
        var patient = Patient(random, practitioner, out var via);
        var facts = Facts(random, patient, out _);
        facts.RecordedAt = null;
        var token = Token(random, practitioner, "user/Observation.cruds user/Patient.rs", out var why);
        label = $"create-{via}{why}";
        return new CheckRequest
        {
            Token = token,
            Interaction = Interaction.Create,
            ResourceType = "Observation",
            Proposed = new ResourceState { Facts = facts },
        };
    }

    private static double[] ZipfCdf(int n, double exponent)
    {
        var cdf = new double[n];
        var sum = 0.0;
        for (var r = 0; r < n; r++)
        {
            sum += 1.0 / Math.Pow(r + 1, exponent);
            cdf[r] = sum;
        }
        for (var r = 0; r < n; r++)
        {
            cdf[r] /= sum;
        }
        return cdf;
    }
}
