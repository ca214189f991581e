using System.Text.Encodings.Web;
using System.Text.Json;

namespace PermissionLayer.DataGenerator.Generation;

/// <summary>One NDJSON output file, written a line at a time (the generator never holds a file in memory).</summary>
public sealed class NdjsonFile : IDisposable
{
    private static readonly JsonWriterOptions Options = new() { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly FileStream _stream;
    private readonly Utf8JsonWriter _writer;

    public NdjsonFile(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Path_ = path;
        _stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        _writer = new Utf8JsonWriter(_stream, Options);
    }

    public string Path_ { get; }

    public long Lines { get; private set; }

    public void Line(Action<Utf8JsonWriter> write)
    {
        write(_writer);
        _writer.Flush();
        _writer.Reset();
        _stream.WriteByte((byte)'\n');
        Lines++;
    }

    /// <summary>A line that is already JSON (protobuf's JSON formatter).</summary>
    public void Raw(string json)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(json);
        _stream.Write(bytes);
        _stream.WriteByte((byte)'\n');
        Lines++;
    }

    public void Dispose()
    {
        _writer.Dispose();
        _stream.Dispose();
    }
}
