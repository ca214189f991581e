namespace PermissionLayer.Storage;

/// <summary>
/// The system of record could not be reached or did not answer. Callers fail closed: the gRPC
/// layer maps it to UNAVAILABLE, never to a guess.
/// </summary>
public sealed class StorageUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
