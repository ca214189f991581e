using PermissionLayer.Contracts.V1;
using PermissionLayer.DataGenerator;
using PermissionLayer.DataGenerator.Generation;
using PermissionLayer.DataGenerator.Loading;
using PermissionLayer.DataGenerator.Probes;

// generate --preset quick|full [--scale F] [--seed N] [--mix N] --out DIR
// load     --data DIR --address URL --key ADMIN_KEY
// probe    cold|narrow|activate|revoke|population ... (see Probes/ScaleProbes.cs)
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: generate --preset quick|full --out DIR | load --data DIR --address URL --key KEY | probe NAME ...");
    return 2;
}
var command = args[0];
try
{
    switch (command)
    {
        case "generate":
        {
            var a = Arguments.Parse(args[1..]);
            var size = NetworkSize.Named(a.Get("preset", "quick"));
            if (a.Has("scale"))
            {
                size = size.Scaled(a.Double("scale", 1));
            }
            size = size with { Seed = (ulong)a.Int("seed", (int)size.Seed), MixRequests = a.Int("mix", size.MixRequests) };
            DataSetGenerator.Generate(size, a.Get("out"), Console.Out);
            return 0;
        }
        case "load":
        {
            var a = Arguments.Parse(args[1..]);
            using var channel = AdminChannel.Open(a.Get("address", "http://127.0.0.1:5080"), a.Get("key"));
            await new DataSetLoader(new AdminService.AdminServiceClient(channel), a.Get("data"), Console.Out).LoadAsync(CancellationToken.None);
            return 0;
        }
        case "probe":
            return await ScaleProbes.RunAsync(args[1], Arguments.Parse(args[2..]), Console.Out);
        default:
            Console.Error.WriteLine($"unknown command '{command}'");
            return 2;
    }
}
catch (Grpc.Core.RpcException e)
{
    Console.Error.WriteLine($"[{command}] the server answered {e.StatusCode}: {e.Status.Detail}");
    return 3;
}
