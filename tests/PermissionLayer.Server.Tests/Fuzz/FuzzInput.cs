using System.Collections;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace PermissionLayer.Server.Tests.Fuzz;

/// <summary>One fuzz input: its bytes and how they were made.</summary>
internal sealed record FuzzInput(byte[] Bytes, string Recipe, IMessage? Message)
{
    private static readonly string[] Strings =
    [
        "", "x", "p1", "h-1", "Practitioner/fuzz", "Patient/p1", "Group/g1", "Client/trusted-app", "trusted-app", "user/Patient.rs", "patient/*.cruds",
        "system/*.rs", "TREAT", "BTG", "ETREAT", "http://terminology.hl7.org/CodeSystem/v3-ActReason|TREAT", "Patient", "Observation", "*", "rs", "cruds",
        "active", "suspended", "json", "ndjson", "N", "R", "HIV", "\0", "a\0b", "\u0001\u0002", "\t\n\r", "\u007f", "\uFFFD", "😀", "é", "Patient/",
        "../../etc", "%00", "'; DROP TABLE audit.decision; --", "subject=Patient/p1", "patient=p1&code=1", "$everything", "{}", "[]",
        """{"resourceType":"Patient","id":"p1"}""", """{"resourceType":"Group","id":"g1","type":"person","actual":true,"member":[{"entity":{"reference":"Patient/p1"}}]}""",
        new('x', 65), new('x', 129), new('x', 3000), new('y', 100_000),
    ];

    private static readonly byte[][] InvalidUtf8 = [[0xED, 0xA0, 0x80], [0xC0, 0x80], [0xFF], [0xE2, 0x82], [0x80, 0x80, 0x80]];

    public static FuzzInput For(MessageDescriptor type, Random random)
    {
        switch (random.Next(10))
        {
            case 0:
                var raw = new byte[random.Next(0, 64)];
                random.NextBytes(raw);
                return new FuzzInput(raw, "random bytes", null);
            case 1:
            {
                var message = Make(type, random, depth: 0);
                var bytes = message.ToByteArray();
                Mutate(bytes, random);
                return new FuzzInput(bytes, "mutated message", message);
            }
            case 2 when type.Fields.InDeclarationOrder().FirstOrDefault(f => f.FieldType == FieldType.String) is { } text:
            {
                // A string field whose bytes are not UTF-8 (a lone surrogate as CESU-8, an overlong NUL, ...).
                var message = Make(type, random, depth: 0);
                var bytes = new List<byte>(message.ToByteArray());
                var invalid = InvalidUtf8[random.Next(InvalidUtf8.Length)];
                bytes.AddRange(Tag(text.FieldNumber, 2));
                bytes.Add((byte)invalid.Length);
                bytes.AddRange(invalid);
                return new FuzzInput([.. bytes], $"invalid UTF-8 in {text.Name}", message);
            }
            default:
            {
                var message = Make(type, random, depth: 0);
                return new FuzzInput(message.ToByteArray(), "random message", message);
            }
        }
    }

    public string Describe()
    {
        var hex = Convert.ToHexString(Bytes.AsSpan(0, Math.Min(Bytes.Length, 1024)));
        var json = Message is null ? "" : "\n" + Shorten(JsonFormatter.Default.Format(Message));
        return $"{Recipe}, {Bytes.Length} bytes: {hex}{(Bytes.Length > 1024 ? "…" : "")}{json}";
    }

    private static string Shorten(string text) => text.Length <= 2000 ? text : text[..2000] + "…";

    private static IMessage Make(MessageDescriptor type, Random random, int depth)
    {
        var message = type.Parser.ParseFrom(ByteString.Empty);
        foreach (var field in type.Fields.InDeclarationOrder())
        {
            if (random.Next(3) == 0)
            {
                continue; // leave it unset
            }
            if (field.IsRepeated)
            {
                var list = (IList)field.Accessor.GetValue(message);
                var count = random.Next(20) == 0 ? random.Next(1000, 12_000) : random.Next(0, 4);
                if (field.FieldType == FieldType.Message && count > 50)
                {
                    count = 50;
                }
                for (var i = 0; i < count; i++)
                {
                    list.Add(Value(field, random, depth));
                }
            }
            else if (Value(field, random, depth) is { } value)
            {
                field.Accessor.SetValue(message, value);
            }
        }
        return message;
    }

    private static object Value(FieldDescriptor field, Random random, int depth) => field.FieldType switch
    {
        FieldType.String => Strings[random.Next(Strings.Length)],
        FieldType.Bool => random.Next(2) == 0,
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => (int)Number(random),
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => Number(random),
        FieldType.Enum => System.Enum.ToObject(field.EnumType.ClrType, random.Next(10) == 0 ? random.Next(-5, 100) : random.Next(field.EnumType.Values.Count)),
        FieldType.Message when field.MessageType.FullName == Timestamp.Descriptor.FullName => Time(random),
        FieldType.Message => depth > 3 ? field.MessageType.Parser.ParseFrom(ByteString.Empty) : Make(field.MessageType, random, depth + 1),
        FieldType.Bytes => ByteString.CopyFrom([0, 1, 2]),
        _ => throw new InvalidOperationException($"no fuzz values for {field.FieldType}"),
    };

    private static long Number(Random random) => random.Next(8) switch
    {
        0 => -1,
        1 => int.MaxValue,
        2 => long.MinValue,
        3 => long.MaxValue,
        4 => random.Next(0, 1000),
        _ => 0,
    };

    private static Timestamp Time(Random random) => random.Next(7) switch
    {
        0 => new Timestamp { Seconds = 999_999_999_999 },
        1 => new Timestamp { Seconds = -999_999_999_999 },
        2 => new Timestamp { Seconds = 1_800_000_000, Nanos = -1 },
        3 => new Timestamp { Seconds = 1_800_000_000, Nanos = 2_000_000_000 },
        4 => new Timestamp { Seconds = 253_402_300_799, Nanos = 999_999_999 },
        _ => Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(random.Next(-400, 400))),
    };

    private static void Mutate(byte[] bytes, Random random)
    {
        if (bytes.Length == 0)
        {
            return;
        }
        for (var flips = random.Next(1, 6); flips > 0; flips--)
        {
            bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
        }
    }

    private static IEnumerable<byte> Tag(int fieldNumber, int wireType)
    {
        var tag = (uint)(fieldNumber << 3 | wireType);
        while (tag >= 0x80)
        {
            yield return (byte)(tag | 0x80);
            tag >>= 7;
        }
        yield return (byte)tag;
    }
}
