using BenchmarkDotNet.Running;
using PermissionLayer.Benchmarks.Scopes;

// Any benchmark type of this assembly anchors the switcher (the server's Program is referenced too).
BenchmarkSwitcher.FromAssembly(typeof(ScopeBenchmarks).Assembly).Run(args);
