using System.Collections.Concurrent;

namespace PermissionLayer.Server.Features.Console;

/// <summary>
/// The console's open sessions, held on this node: a session cookie is honoured only while its id is
/// here. Sign-out removes it, so a copy of the cookie taken before (a shared machine, a proxy, a
/// profile backup) opens nothing after; a session idle for <see cref="IdleLimit"/> ends, and none
/// lives longer than <see cref="Lifetime"/>. A restart ends every session (sign in again); sessions
/// are per node as the cookie's Data Protection keys are (README, console).
/// </summary>
public sealed class ConsoleSessions(TimeProvider time)
{
    public static readonly TimeSpan IdleLimit = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    private readonly ConcurrentDictionary<string, Session> _open = new(StringComparer.Ordinal);

    public string Open()
    {
        Sweep();
        var id = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var now = time.GetUtcNow();
        _open[id] = new Session(now, now);
        return id;
    }

    /// <summary>Whether the session is open now (and, if so, it was just used).</summary>
    public bool Touch(string? id)
    {
        if (id is null || !_open.TryGetValue(id, out var session))
        {
            return false;
        }
        var now = time.GetUtcNow();
        if (now - session.LastUsed > IdleLimit || now - session.Opened > Lifetime)
        {
            _open.TryRemove(id, out _);
            return false;
        }
        _open[id] = session with { LastUsed = now };
        return true;
    }

    public void Close(string? id)
    {
        if (id is not null)
        {
            _open.TryRemove(id, out _);
        }
    }

    private void Sweep()
    {
        var now = time.GetUtcNow();
        foreach (var (id, session) in _open)
        {
            if (now - session.LastUsed > IdleLimit || now - session.Opened > Lifetime)
            {
                _open.TryRemove(id, out _);
            }
        }
    }

    private sealed record Session(DateTimeOffset Opened, DateTimeOffset LastUsed);
}
