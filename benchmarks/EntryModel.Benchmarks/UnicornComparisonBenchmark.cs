using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using EntryModel.Machine.Cpu;
using EntryModel.Machine.Execution;
using EntryModel.Machine.Memory;
using EntryModel.Oracles.Unicorn;
using EntryModel.Oracles.Workloads;

namespace EntryModel.Benchmarks;

/// <summary>
/// Question: how many instructions per second does Unicorn (libunicorn2) execute on entry-and-handler
/// code, over a long run and over short start-run-stop runs of about 100 instructions (what an interrupt
/// sweep does)? Each benchmark reports time per retired guest instruction (OperationsPerInvoke), so
/// instructions/s = 1 / Mean. The machine model runs the same bytes at the same addresses, side by side
/// in the same run (grouped by category), to check the targets: at least 50 M instructions/s on
/// long runs and at least 5x Unicorn on short runs.
/// </summary>
// Few, fixed invocations: Unicorn 2.0.1 segfaults after some 10^5 start-run-stop cycles in one process
// (in tb_invalidate_phys_range under uc_emu_start; reproduced in plain C, with or without exits), so
// the job caps the cycles at about 40 k (13 iterations x 16 invocations x 200 short runs).
[SimpleJob(warmupCount: 3, iterationCount: 10, invocationCount: 16)]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class UnicornComparisonBenchmark
{
    /// <summary>User-style addresses shared with the machine side: code, a data block, a stack.</summary>
    public const ulong CodeAddress = 0x40_0000;
    public const ulong DataAddress = 0x60_0000;
    public const ulong StackPage = 0x7FFF_FFFF_D000;
    public const ulong StackTop = StackPage + 0x1000;

    /// <summary>Long run: about 1.2 M instructions per start.</summary>
    public const int LongRunIterations = 20_000;
    public const int LongRunInstructions = 1 + (LongRunIterations * EntryHandlerWorkload.InstructionsPerIterationConstant);

    /// <summary>Short run: two iterations, 119 instructions, from a freshly written register state.</summary>
    public const int ShortRunIterations = 2;
    public const int ShortRunInstructions = 1 + (ShortRunIterations * EntryHandlerWorkload.InstructionsPerIterationConstant);
    public const int ShortRunsPerInvoke = 200;

    private UnicornEngine? unicorn;
    private X86Machine? machine;
    private EntryHandlerWorkload? workload;
    private ulong[] longRunRegisters = [];
    private ulong[] shortRunRegisters = [];

    [GlobalSetup(Targets = [nameof(UnicornLongRun), nameof(UnicornShortRuns)])]
    public void Setup()
    {
        workload = EntryHandlerWorkload.Build(CodeAddress);
        unicorn = UnicornEngine.OpenX86_64();
        unicorn.Map(CodeAddress, 0x1000, UnicornProtection.Read | UnicornProtection.Exec);
        unicorn.Map(DataAddress, 0x1000, UnicornProtection.Read | UnicornProtection.Write);
        unicorn.Map(StackPage, 0x1000, UnicornProtection.Read | UnicornProtection.Write);
        unicorn.WriteMemory(CodeAddress, workload.Code);
        longRunRegisters = EntryHandlerWorkload.InitialRegisters(LongRunIterations, DataAddress, StackTop);
        shortRunRegisters = EntryHandlerWorkload.InitialRegisters(ShortRunIterations, DataAddress, StackTop);

        // A run that does not end at the end of the code would make every figure meaningless.
        RunUnicorn(shortRunRegisters);
        if (unicorn.ReadRegister(UnicornX86Register.Rip) != workload.EndAddress)
        {
            throw new InvalidOperationException("Unicorn did not reach the end of the workload.");
        }
    }

    [GlobalSetup(Targets = [nameof(MachineLongRun), nameof(MachineShortRuns)])]
    public void SetupMachine()
    {
        workload = EntryHandlerWorkload.Build(CodeAddress);
        machine = new X86Machine();
        machine.Memory.Map(CodeAddress, 0x1000, PagePermissions.User | PagePermissions.Executable);
        machine.Memory.Map(DataAddress, 0x1000, PagePermissions.User | PagePermissions.Writable);
        machine.Memory.Map(StackPage, 0x1000, PagePermissions.User | PagePermissions.Writable);
        machine.Memory.Write(CodeAddress, workload.Code);
        machine.AddBreakpoint(workload.EndAddress);
        longRunRegisters = EntryHandlerWorkload.InitialRegisters(LongRunIterations, DataAddress, StackTop);
        shortRunRegisters = EntryHandlerWorkload.InitialRegisters(ShortRunIterations, DataAddress, StackTop);
        StopReason stop = RunMachine(shortRunRegisters);
        if (stop.Kind != StopKind.Breakpoint || stop.Rip != workload.EndAddress || stop.Instructions != ShortRunInstructions)
        {
            throw new InvalidOperationException($"The machine did not run the workload as expected: {stop}");
        }

        // The capped job has few invocations; run long enough here for tiered JIT to reach optimized code.
        var warm = System.Diagnostics.Stopwatch.StartNew();
        while (warm.ElapsedMilliseconds < 1000)
        {
            _ = RunMachine(shortRunRegisters);
        }
    }

    [Benchmark(OperationsPerInvoke = LongRunInstructions)]
    [BenchmarkCategory("Long run (1.2 M instructions)")]
    public StopReason MachineLongRun() => RunMachine(longRunRegisters);

    [Benchmark(OperationsPerInvoke = ShortRunInstructions * ShortRunsPerInvoke)]
    [BenchmarkCategory("Short runs (119 instructions)")]
    public void MachineShortRuns()
    {
        for (int i = 0; i < ShortRunsPerInvoke; i++)
        {
            _ = RunMachine(shortRunRegisters);
        }
    }

    private StopReason RunMachine(ulong[] registers)
    {
        ref CpuState cpu = ref machine!.Cpu;
        for (int i = 0; i < registers.Length; i++)
        {
            cpu.Gpr[i] = registers[i];
        }

        cpu.Rip = CodeAddress;
        cpu.Cs = Selectors.UserCs;
        cpu.Ss = Selectors.UserSs;
        return machine.Run();
    }

    [GlobalCleanup]
    public void Cleanup() => unicorn?.Dispose();

    [Benchmark(OperationsPerInvoke = LongRunInstructions)]
    [BenchmarkCategory("Long run (1.2 M instructions)")]
    public void UnicornLongRun() => RunUnicorn(longRunRegisters);

    [Benchmark(OperationsPerInvoke = ShortRunInstructions * ShortRunsPerInvoke)]
    [BenchmarkCategory("Short runs (119 instructions)")]
    public void UnicornShortRuns()
    {
        for (int i = 0; i < ShortRunsPerInvoke; i++)
        {
            RunUnicorn(shortRunRegisters);
        }
    }

    private void RunUnicorn(ulong[] registers)
    {
        unicorn!.WriteGeneralRegisters(registers);
        UnicornError error = unicorn.Run(CodeAddress, workload!.EndAddress);
        if (error != UnicornError.Ok)
        {
            throw new InvalidOperationException($"Unicorn stopped: {UnicornEngine.Describe(error)}");
        }
    }
}
