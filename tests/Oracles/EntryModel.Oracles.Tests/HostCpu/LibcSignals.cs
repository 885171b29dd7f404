using System.Runtime.InteropServices;

namespace EntryModel.Oracles.Tests.HostCpu;

/// <summary>
/// Blocks asynchronous signals on the calling thread while a sequence runs: a signal handler would push
/// its frame onto the sequence's scratch stack and overwrite popped-but-compared stack bytes.
/// </summary>
internal static unsafe partial class LibcSignals
{
    /// <summary>glibc's sigset_t is 1024 bits.</summary>
    public const int SignalSetBytes = 128;

    private const int SigSetMask = 2;
    private const string Libc = "libc";

    [LibraryImport(Libc, EntryPoint = "sigfillset")]
    private static partial int SigFillSet(byte* set);

    [LibraryImport(Libc, EntryPoint = "pthread_sigmask")]
    private static partial int PthreadSigMask(int how, byte* set, byte* oldSet);

    /// <summary>Blocks every signal that can be blocked; <paramref name="previous"/> receives the old mask.</summary>
    public static void BlockAll(byte* previous)
    {
        byte* all = stackalloc byte[SignalSetBytes];
        Check(SigFillSet(all), "sigfillset");
        Check(PthreadSigMask(SigSetMask, all, previous), "pthread_sigmask");
    }

    public static void Restore(byte* previous) => Check(PthreadSigMask(SigSetMask, previous, null), "pthread_sigmask");

    private static void Check(int result, string call)
    {
        if (result != 0)
        {
            throw new InvalidOperationException($"{call} failed ({result}).");
        }
    }
}
