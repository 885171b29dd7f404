using EntryModel.Machine.Cpu;
using EntryModel.Machine.Decoding;
using EntryModel.Machine.Delivery;
using EntryModel.Machine.Memory;
using Iced.Intel;

namespace EntryModel.Machine.Execution;

/// <summary>Instruction fetch: page permission checks, the decoded-instruction cache, breakpoint wrappers.</summary>
public sealed partial class X86Machine
{
    private readonly ReusableCodeReader codeReader = new();
    private readonly Decoder decoder;
    private const int FetchTlbSize = 64;

    // Per-privilege fetch translations: page number -> decoded page, filled after the permission check.
    private readonly FetchTlbEntry[] kernelFetch = new FetchTlbEntry[FetchTlbSize];
    private readonly FetchTlbEntry[] userFetch = new FetchTlbEntry[FetchTlbSize];
    private DecodedInstruction crossPageScratch;

    private Decoder CreateDecoder() => Decoder.Create(64, codeReader, DecoderOptions.None);

    /// <summary>
    /// Makes the page holding <paramref name="rip"/> the fetch page and finds (or decodes) the
    /// instruction there. Returns its slot, or <see cref="DecodedPage.CrossesPage"/> for an
    /// instruction decoded into the scratch slot; false when the fetch faults.
    /// </summary>
    private bool FetchDecoded(ulong rip, out int slot)
    {
        slot = 0;
        if (!GuestMemory.IsCanonical(rip))
        {
            return Fault(ExceptionVector.GeneralProtection, 0);
        }

        ulong pageBase = rip & ~GuestMemory.PageMask;
        if (pageBase != fetchPageBase || fetchPage.Stale)
        {
            ulong vpn = pageBase >> 12;
            ref var entry = ref (State.Cpl == 3 ? userFetch : kernelFetch)[(int)(vpn % FetchTlbSize)];
            if (entry.Page is { Stale: false } cached && entry.Vpn == vpn)
            {
                fetchPage = cached;
            }
            else
            {
                var page = Memory.TranslateFetch(rip);
                if (page == null)
                {
                    return MemoryFault(stack: false);
                }

                fetchPage = Memory.AttachCode(page, pageBase);
                entry = new FetchTlbEntry { Vpn = vpn, Page = fetchPage };
            }

            fetchPageBase = pageBase;
            if (fetchPage.BreakpointVersion != breakpointVersion)
            {
                ApplyBreakpoints(fetchPage);
            }
        }

        int offset = (int)(rip - pageBase);
        slot = fetchPage.Slots[offset];
        if (slot != 0 && slot != DecodedPage.CrossesPage)
        {
            return true;
        }

        // Decode: the bytes of this page, plus the next page's when it may be fetched from too.
        int inPage = Math.Min(15, GuestMemory.PageSize - offset);
        int available = Memory.PeekCode(rip, codeReader.Buffer.AsSpan(0, inPage));
        ulong next = pageBase + GuestMemory.PageSize;
        bool nextFetchable = inPage < 15 && GuestMemory.IsCanonical(next) && Memory.TranslateFetch(next) != null;
        if (nextFetchable)
        {
            available += Memory.PeekCode(next, codeReader.Buffer.AsSpan(inPage, 15 - inPage));
        }

        codeReader.Reset(available);
        decoder.IP = rip;
        decoder.Decode(out var instruction);
        if (decoder.LastError == DecoderError.NoMoreBytes && !nextFetchable && inPage < 15)
        {
            Memory.TranslateFetch(next); // records the fault of the page the instruction runs into
            if (!GuestMemory.IsCanonical(next))
            {
                return Fault(ExceptionVector.GeneralProtection, 0);
            }

            return MemoryFault(stack: false);
        }

        InstructionTranslator.Translate(instruction, out var decoded);
        if (breakpoints.Contains(rip))
        {
            decoded.Handler = Handler.Breakpoint;
        }

        DecodedInstructionCount++;
        if (offset + instruction.Length > GuestMemory.PageSize)
        {
            crossPageScratch = decoded;
            fetchPage.Slots[offset] = DecodedPage.CrossesPage;
            slot = DecodedPage.CrossesPage;
            return true;
        }

        slot = fetchPage.Add(decoded);
        fetchPage.Slots[offset] = (ushort)slot;
        return true;
    }

    /// <summary>Re-applies the breakpoint wrappers of a cached page after the breakpoint set changed.</summary>
    private void ApplyBreakpoints(DecodedPage page)
    {
        var instructions = page.Instructions;
        for (int i = 1; i < page.Count; i++)
        {
            ref var d = ref instructions[i];
            d.Handler = (d.Flags & DecodedFlags.WritesRsp) != 0 ? Handler.RspWrite : d.Semantic;
        }

        foreach (ulong b in breakpoints)
        {
            if (b - page.Address < GuestMemory.PageSize)
            {
                int slot = page.Slots[b - page.Address];
                if (slot != 0 && slot != DecodedPage.CrossesPage)
                {
                    instructions[slot].Handler = Handler.Breakpoint;
                }
            }
        }

        page.BreakpointVersion = breakpointVersion;
    }
}
