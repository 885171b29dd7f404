using EntryModel.Unwinding.Printing;

namespace EntryModel.Unwinding.Tests.Printing;

public class ClassicStackPrinterTests
{
    private const ulong Low = 0xffffc90000000000;
    private const ulong High = Low + 0x1000;
    private static readonly StackBounds Stack = new(Low, High, StackKind.Task, "task");

    private static readonly SymbolTable Symbols = new(
    [
        new Symbol("outer", 0xffffffff81000000, 0x100, SymbolKind.Function, ".text"),
        new Symbol("middle", 0xffffffff81000100, 0x80, SymbolKind.Function, ".text"),
        new Symbol("inner", 0xffffffff81000180, 0x40, SymbolKind.Function, ".text"),
        new Symbol("user_main", 0x400000, 0x40, SymbolKind.Function, ".user.text"),
    ]);

    private static readonly KernelTextRange Text = new(0xffffffff81000000, 0xffffffff81001000);

    private static ClassicStackPrinter Printer => new(Symbols, Text);

    [Test]
    public void Walked_return_addresses_print_plain_and_scanned_ones_with_a_question_mark()
    {
        var memory = new FakeMemory();
        memory.Zero(Low, High);

        // inner's frame at 0xf00 called from middle+0x10; middle's frame at 0xf40 called from outer+0x20.
        memory[Low + 0xf00] = Low + 0xf40;
        memory[Low + 0xf08] = 0xffffffff81000110;
        memory[Low + 0xf18] = 0xffffffff810001a0; // stale: inner+0x20, not a frame's slot
        memory[Low + 0xf20] = 0x400010;           // a user address is not kernel text
        memory[Low + 0xf40] = 0x7ffffffde000;     // the outermost frame's saved rbp is a user address
        memory[Low + 0xf48] = 0xffffffff81000020;

        var lines = Printer.Print(memory, Stack, Low + 0xef0, Low + 0xf00);

        Assert.That(lines, Is.EqualTo(new[]
        {
            "[<ffffffff81000110>] middle+0x10/0x80",
            "[<ffffffff810001a0>] ? inner+0x20/0x40",
            "[<ffffffff81000020>] outer+0x20/0x100",
        }));
    }

    [Test]
    public void A_return_address_at_the_end_of_a_function_names_that_function()
    {
        var memory = new FakeMemory();
        memory.Zero(Low, High);
        memory[Low + 0xf00] = 0;
        memory[Low + 0xf08] = 0xffffffff81000100; // middle's start = outer's end: a call ending outer

        var lines = Printer.Print(memory, Stack, Low + 0xf00, Low + 0xf00);

        Assert.That(lines, Is.EqualTo(new[] { "[<ffffffff81000100>] outer+0x100/0x100" }));
    }

    [Test]
    public void A_frame_pointing_at_itself_does_not_loop()
    {
        var memory = new FakeMemory();
        memory.Zero(Low, High);
        memory[Low + 0xf00] = Low + 0xf00;
        memory[Low + 0xf08] = 0xffffffff81000110;
        memory[Low + 0xf10] = 0xffffffff81000110;

        var lines = Printer.Trace(memory, Stack, Low + 0xf00, Low + 0xf00);

        Assert.That(lines.Select(l => l.Reliable), Is.EqualTo(new[] { true, false }));
        Assert.That(memory.Reads, Is.LessThanOrEqualTo((0x100 / 8) + 2));
    }

    [Test]
    public void A_start_outside_the_stack_prints_nothing()
    {
        var memory = new FakeMemory();
        memory.Zero(Low, High);

        Assert.That(Printer.Print(memory, Stack, High, Low + 0xf00), Is.Empty);
        Assert.That(Printer.Print(memory, Stack, Low - 8, Low + 0xf00), Is.Empty);
    }

    [Test]
    public void An_unreadable_word_ends_the_scan_without_throwing()
    {
        var memory = new FakeMemory();
        memory[Low + 0xff0] = 0xffffffff81000110;

        // Low + 0xfe8 is not mapped: the scan stops there, before the text address above it.
        Assert.That(Printer.Print(memory, Stack, Low + 0xfe8, 0), Is.Empty);
    }

    [Test]
    public void The_scan_stops_at_the_top_of_an_address_space_sized_stack()
    {
        var memory = new FakeMemory();
        memory[ulong.MaxValue - 15] = 0;
        memory[ulong.MaxValue - 7] = 0xffffffff81000110;
        var whole = new StackBounds(0, ulong.MaxValue, StackKind.Unknown, "all");

        var lines = Printer.Print(memory, whole, ulong.MaxValue - 15, 0);

        Assert.That(lines, Is.Empty, "the last word would end at 2^64, past High, so the scan stops before it");
    }

    [Test]
    public void Kernel_text_without_a_symbol_prints_as_a_raw_address()
    {
        var memory = new FakeMemory();
        memory.Zero(Low, High);
        memory[Low + 0xf00] = 0xffffffff81000800;

        Assert.That(Printer.Print(memory, Stack, Low + 0xf00, 0), Is.EqualTo(new[] { "[<ffffffff81000800>] ? 0xffffffff81000800" }));
    }
}
