using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using PermissionLayer.Core.Requests;

namespace PermissionLayer.Server.Features.Limits;

/// <summary>
/// Checks a whole request against <see cref="FieldLimits"/> before any work, walking it through its
/// generated descriptor so that every string, list and time of every RPC is covered, including
/// fields added later. The first violation is rejected as INVALID_ARGUMENT naming the field by its
/// path (<c>token.client_id</c>, <c>changes[2].create_grant.grant.reason</c>).
/// </summary>
public static class RequestLimits
{
    /// <summary>Earliest and latest instants a <see cref="Timestamp"/> may hold (years 0001 to 9999, as protobuf defines).</summary>
    private const long MinSeconds = -62_135_596_800;
    private const long MaxSeconds = 253_402_300_799;

    /// <summary>
    /// Throws <see cref="RequestValidationException"/> at the first field over its limit. A field named
    /// <paramref name="skip"/> is checked elsewhere (CheckBatch entries: each entry fails alone).
    /// </summary>
    public static void Enforce(IMessage message, string prefix = "", string? skip = null) => Walk(message, prefix, skip);

    private static void Walk(IMessage message, string prefix, string? skip)
    {
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            if (field.Name == skip)
            {
                continue;
            }
            // A batch change is named by its index alone (changes[2].group_id), as the batch's own errors name it.
            var path = new FieldPath(prefix, message is Contracts.V1.BatchChange ? "" : field.Name);
            var rule = FieldLimits.For(field.Name);
            if (field.IsRepeated)
            {
                var list = (System.Collections.IList)field.Accessor.GetValue(message);
                if (list.Count > rule.MaxItems)
                {
                    throw new RequestValidationException(path.ToString(), $"has {list.Count} items; at most {rule.MaxItems} are allowed");
                }
                for (var i = 0; i < list.Count; i++)
                {
                    Check(field, list[i], path with { Index = i }, rule);
                }
            }
            else if (field.FieldType != FieldType.Message || field.Accessor.HasValue(message))
            {
                Check(field, field.Accessor.GetValue(message), path, rule);
            }
        }
    }

    private static void Check(FieldDescriptor field, object? value, FieldPath path, FieldRule rule)
    {
        switch (value)
        {
            case string text when FieldLimits.Problem(text, rule) is { } problem:
                throw new RequestValidationException(path.ToString(), problem);
            case Timestamp time:
                if (time.Seconds is < MinSeconds or > MaxSeconds || time.Nanos is < 0 or > 999_999_999)
                {
                    throw new RequestValidationException(path.ToString(),
                        $"is not a valid time (seconds {time.Seconds}, nanos {time.Nanos}): seconds must lie in years 0001 to 9999 and nanos in 0 to 999999999");
                }
                break;
            case IMessage nested when field.FieldType == FieldType.Message:
                Walk(nested, path + ".", skip: null);
                break;
        }
    }

    /// <summary>
    /// A field's path, spelt out only when it is needed (an error, a nested message): most requests
    /// break no limit, and every field of every request is walked.
    /// </summary>
    private readonly record struct FieldPath(string Prefix, string Name, int Index = -1)
    {
        public override string ToString() =>
            (Name.Length == 0 ? Prefix.TrimEnd('.') : Prefix + Name) + (Index >= 0 ? $"[{Index}]" : "");

        public static string operator +(FieldPath path, string suffix) => path.ToString() + suffix;
    }
}
