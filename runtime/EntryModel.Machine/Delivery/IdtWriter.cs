using System.Buffers.Binary;
using EntryModel.Machine.Cpu;
using EntryModel.Machine.Execution;

namespace EntryModel.Machine.Delivery;

/// <summary>Encodes 64-bit IDT gate descriptors (SDM vol. 3, figure 6-8) and installs an image's gates.</summary>
public static class IdtWriter
{
    public const int GateSize = 16;
    public const ushort IdtLimit = (256 * GateSize) - 1;

    /// <summary>The 16 bytes of a present interrupt (type 0xE) or trap (type 0xF) gate.</summary>
    public static byte[] EncodeGate(ulong handler, bool interruptGate, int dpl, int ist, ushort selector = Selectors.KernelCs, bool present = true)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)dpl, 3u, nameof(dpl));
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)ist, 7u, nameof(ist));
        ulong lo = (handler & 0xFFFF)
            | ((ulong)selector << 16)
            | ((ulong)ist << 32)
            | ((interruptGate ? 0xEUL : 0xFUL) << 40)
            | ((ulong)dpl << 45)
            | ((present ? 1UL : 0) << 47)
            | ((handler & 0xFFFF0000UL) << 32);
        ulong hi = handler >> 32;
        var bytes = new byte[GateSize];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, lo);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), hi);
        return bytes;
    }

    /// <summary>Writes one gate into the IDT at <paramref name="idtBase"/>.</summary>
    public static void WriteGate(X86Machine machine, ulong idtBase, int vector, ulong handler, bool interruptGate, int dpl = 0, int ist = 0)
    {
        ArgumentNullException.ThrowIfNull(machine);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)vector, 255u, nameof(vector));
        machine.Memory.Write(idtBase + ((ulong)vector * GateSize), EncodeGate(handler, interruptGate, dpl, ist));
    }

    /// <summary>Writes every gate of <paramref name="gates"/> (stub addresses resolved by the image) and loads IDTR.</summary>
    public static void Install(X86Machine machine, ulong idtBase, IEnumerable<IdtGate> gates, SymbolTable? symbols = null)
    {
        ArgumentNullException.ThrowIfNull(machine);
        ArgumentNullException.ThrowIfNull(gates);
        foreach (var g in gates)
        {
            ulong handler = g.Address;
            if (handler == 0 && symbols != null && symbols.TryGet(g.Stub, out var s))
            {
                handler = s.Address;
            }

            WriteGate(machine, idtBase, g.Vector, handler, g.Interrupt, g.Dpl, g.Ist);
        }

        machine.Cpu.IdtBase = idtBase;
        machine.Cpu.IdtLimit = IdtLimit;
    }
}
