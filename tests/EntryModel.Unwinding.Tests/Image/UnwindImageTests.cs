using EntryModel.Unwinding.Image;
using static EntryModel.Unwinding.Tests.Support.SyntheticKernel;

namespace EntryModel.Unwinding.Tests.Image;

/// <summary>What an UnwindImage gathers from a KernelImage.</summary>
public sealed class UnwindImageTests
{
    [Test]
    public void Kernel_text_spans_every_executable_kernel_chunk_and_nothing_else()
    {
        Assert.That(Unwind.Text, Is.EqualTo(new KernelTextRange(Text, EntryTextEnd)));
        Assert.That(Unwind.Text.Contains(EntryRegsTable), Is.False);
    }

    [Test]
    public void User_executable_chunks_are_not_kernel_text()
    {
        var image = new KernelImage("m", "s", null, [],
            [new ImageChunk(".text", Text, new byte[0x10], SectionPermissions.Executable), new ImageChunk(".user", UserRip, new byte[0x10], SectionPermissions.Executable | SectionPermissions.User)],
            new SymbolTable([]), [], [], [], null);

        Assert.That(KernelTextRange.FromImage(image), Is.EqualTo(new KernelTextRange(Text, Text + 0x10)));
    }

    [Test]
    public void Entry_text_is_the_executable_entry_sections_only()
    {
        Assert.That(Unwind.IsEntryText(PageFaultEntry), Is.True);
        Assert.That(Unwind.IsEntryText(EntryTextEnd - 1), Is.True);
        Assert.That(Unwind.IsEntryText(EntryTextEnd), Is.False);
        Assert.That(Unwind.IsEntryText(Handler), Is.False);
        Assert.That(Unwind.IsEntryText(EntryRegsTable), Is.False, ".entry_regs is data");
    }

    [Test]
    public void The_pt_regs_marker_return_is_the_marker_plus_1_and_0_without_a_marker()
    {
        Assert.That(Unwind.PtRegsMarkerReturn, Is.EqualTo(PtRegsMarker + 1));
        Assert.That(new UnwindImage(Build(marker: false)).PtRegsMarkerReturn, Is.Zero);
    }

    [Test]
    public void Entry_regs_rows_are_read_as_three_quads_each()
    {
        var expected = EntryRegsRows.ToDictionary(r => r.ReturnAddress, r => new EntryRegsRecord(r.ReturnAddress, r.Offset, r.Indirect));

        Assert.That(Unwind.EntryRegs, Is.EquivalentTo(expected));
        Assert.That(Unwind.TryGetEntryRegs(UnrecordedEntryRet, out _), Is.False);
        Assert.That(new UnwindImage(Build(entryRegs: false)).EntryRegs, Is.Empty);
    }

    [Test]
    public void An_entry_call_record_is_one_whose_return_address_lies_in_entry_code()
    {
        var image = Unwind;
        var candidates = image.EntryRegs.Keys.SelectMany(r => new[] { r, r - 1, r + 1 }).Append(UnrecordedEntryRet).Append(0UL);
        int records = 0;
        foreach (ulong ret in candidates)
        {
            bool expected = image.TryGetEntryRegs(ret, out var record) && image.IsEntryText(ret);
            Assert.That(image.TryGetEntryCallRegs(ret, out var got), Is.EqualTo(expected), $"0x{ret:x}");
            if (expected)
            {
                Assert.That(got, Is.EqualTo(record));
                records++;
            }
        }

        Assert.That(records, Is.EqualTo(image.EntryRegs.Count), "the synthetic kernel's records all lie in entry code");
    }

    [Test]
    public void Layouts_and_task_flag_come_from_the_images_constants()
    {
        Assert.That((Unwind.PtRegs.Ip, Unwind.PtRegs.Cs, Unwind.PtRegs.Sp, Unwind.PtRegs.Bp, Unwind.PtRegs.Size), Is.EqualTo((0x80, 0x88, 0x98, 0x20, 0xa8)));
        Assert.That(Unwind.SwitchFrame, Is.EqualTo(new SwitchFrameLayout(0x28, 0x30, 0x38)));
        Assert.That((Unwind.TaskFlagsOffset, Unwind.PreemptIrqFlag), Is.EqualTo((TaskFlagsOffset, PreemptIrqFlag)));
    }

    [Test]
    public void A_changed_pt_regs_constant_changes_the_layout()
    {
        var image = Build(adjust: c =>
        {
            c["RIP"] = 0x90;
            c["SIZEOF_PTREGS"] = 0xb0;
        });

        var layout = new UnwindImage(image).PtRegs;

        Assert.That((layout.Ip, layout.Size), Is.EqualTo((0x90, 0xb0)));
    }

    [Test]
    public void Without_constants_the_linux_layouts_are_used_and_there_is_no_task_flag()
    {
        var image = new UnwindImage(Build(constants: false));

        Assert.That(image.PtRegs, Is.SameAs(PtRegsLayout.Linux));
        Assert.That(image.SwitchFrame, Is.SameAs(SwitchFrameLayout.Linux));
        Assert.That((image.TaskFlagsOffset, image.PreemptIrqFlag), Is.EqualTo((-1L, 0UL)));
    }
}
