namespace EntryModel.Export.Core;

/// <summary>A run of mapped memory at <see cref="Address"/> with one set of permissions, as one PT_LOAD of a core file.</summary>
public sealed record CoreSegment(ulong Address, byte[] Bytes, bool Writable, bool Executable);

/// <summary>
/// A stopped machine as a core file holds it: the stopped context's registers, the signal that
/// stands for the stop (gdb prints it), a pid for the one thread, and the mapped memory.
/// </summary>
public sealed record CoreDump(UserRegisters Registers, int Signal, int Pid, IReadOnlyList<CoreSegment> Memory);
