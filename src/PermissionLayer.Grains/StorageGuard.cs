using PermissionLayer.Grains.Abstractions.Errors;
using PermissionLayer.Storage;
using PermissionLayer.Storage.Changes;

namespace PermissionLayer.Grains;

/// <summary>
/// Storage failures leave a grain as <see cref="EntitlementStoreUnavailableException"/>, a type
/// Orleans can carry to the caller, which fails closed with UNAVAILABLE.
/// </summary>
internal static class StorageGuard
{
    public static async Task<T> Run<T>(Func<Task<T>> storageCall)
    {
        try
        {
            return await storageCall();
        }
        catch (StorageUnavailableException e)
        {
            throw new EntitlementStoreUnavailableException(e.Message);
        }
        catch (RevisionPreconditionException e)
        {
            throw new EntitlementPreconditionFailedException(e.Message);
        }
    }

    /// <summary>
    /// Re-reads a grain's state after a change committed elsewhere (an import, a batch). If the read
    /// fails, the activation is dropped rather than left answering from state older than a committed
    /// change: the next call activates it afresh from PostgreSQL.
    /// </summary>
    public static async Task ReloadOrDeactivateAsync(this IGrainBase grain, Func<Task> reload)
    {
        try
        {
            await reload();
        }
        catch
        {
            grain.DeactivateOnIdle();
            throw;
        }
    }
}
