using System.Buffers;
using System.Text;
using System.Text.Json;
using PermissionLayer.Core.Decisions;

namespace PermissionLayer.Server.Features.Audit;

/// <summary>
/// The <c>reasons</c> column: a decision's reasons as a JSON array of
/// <c>{"term","outcome","code","message","source"}</c>. Rows are hash-chained over this exact
/// text, so it must stay byte for byte what <see cref="JsonSerializer"/> wrote for that projection
/// with its default encoder (<c>'</c> as <c>\u0027</c>, non-ASCII as <c>\uXXXX</c>); a writer
/// with default options escapes the same way, without reflection over anonymous objects.
/// </summary>
internal static class AuditReasonsJson
{
    // Larger buffers are not kept by a thread: one huge reason set must not pin its memory.
    private const int KeptCapacity = 64 * 1024;

    private static readonly JsonEncodedText TermName = JsonEncodedText.Encode("term");
    private static readonly JsonEncodedText OutcomeName = JsonEncodedText.Encode("outcome");
    private static readonly JsonEncodedText CodeName = JsonEncodedText.Encode("code");
    private static readonly JsonEncodedText MessageName = JsonEncodedText.Encode("message");
    private static readonly JsonEncodedText SourceName = JsonEncodedText.Encode("source");
    private static readonly JsonEncodedText Permit = JsonEncodedText.Encode("permit");
    private static readonly JsonEncodedText Deny = JsonEncodedText.Encode("deny");

    // The writing is synchronous, so one buffer and writer per thread serve every decision.
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    public static string Of(IReadOnlyList<DecisionReason> reasons)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        var json = t_writer ??= new Utf8JsonWriter(buffer);
        buffer.ResetWrittenCount();
        json.Reset(buffer); // also after a write that threw half-way
        json.WriteStartArray();
        foreach (var reason in reasons)
        {
            json.WriteStartObject();
            json.WriteString(TermName, AuditTermNames.Of(reason.Term));
            json.WriteString(OutcomeName, reason.Outcome == Outcome.Permit ? Permit : Deny);
            json.WriteString(CodeName, reason.Code);
            json.WriteString(MessageName, reason.Message);
            json.WriteString(SourceName, reason.Source); // null writes null, as the serializer did
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.Flush();
        var text = Encoding.UTF8.GetString(buffer.WrittenSpan);
        if (buffer.Capacity > KeptCapacity)
        {
            t_buffer = null;
            t_writer = null;
        }
        return text;
    }
}
