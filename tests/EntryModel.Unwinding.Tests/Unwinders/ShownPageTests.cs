using EntryModel.Machine.Memory;
using EntryModel.Unwinding.Tests.Support;

namespace EntryModel.Unwinding.Tests.Unwinders;

/// <summary>
/// Walks read from the page the memory shows (<see cref="IMemoryReader.Window"/>) where they can,
/// and call the memory for the rest: a frame record or a word across a page's end, an unmapped
/// page, a memory that shows nothing. The walk must not change: every unwinder on every scene goes
/// the same through a live <see cref="GuestMemory"/> as through the same memory hiding its window,
/// and the state's single bounds check (<see cref="UnwindState.Reach"/>) answers as before on
/// both sides of its quick case.
/// </summary>
public sealed class ShownPageTests
{
    /// <summary>A two-page task stack of its own, away from the scenes' stacks.</summary>
    private const ulong Low = 0xffffc90000100000;
    private const ulong High = Low + (2 * GuestMemory.PageSize);

    private static readonly StackInfo TwoPages = new("task", StackKind.Task, Low, High);

    private static readonly Func<Scene>[] SceneMakers =
    [
        Scenes.Syscall,
        () => Scenes.PageFault(Marks.None), () => Scenes.PageFault(Marks.FakeFrame), () => Scenes.PageFault(Marks.EncodedBp), () => Scenes.PageFault(Marks.RegsPointer),
        () => Scenes.Irq(Marks.None), () => Scenes.Irq(Marks.FakeFrame), () => Scenes.Irq(Marks.EncodedBp), () => Scenes.Irq(Marks.RegsPointer),
        () => Scenes.Ist(Marks.None), () => Scenes.Ist(Marks.FakeFrame), () => Scenes.Ist(Marks.EncodedBp),
        () => Scenes.Sleeping(), () => Scenes.Sleeping(SyntheticKernel.PreemptIrqFlag), Scenes.KernelThread,
    ];

    private static IEnumerable<TestCaseData> Cases() =>
        from name in UnwinderCatalog.Names
        from i in Enumerable.Range(0, SceneMakers.Length)
        select new TestCaseData(name, i).SetArgDisplayNames(name, $"scene {i}");

    [TestCaseSource(nameof(Cases))]
    public void Every_unwinder_walks_every_scene_the_same_through_shown_pages(string unwinder, int scene)
    {
        var s = SceneMakers[scene]();
        var live = Copy(s.Memory);
        var counted = new CountingMemory(live);
        var walker = SyntheticKernel.Unwinder(unwinder);

        var plain = new CountingMemory(new NoWindowMemory(live));
        var shown = UnwindTrace.Collect(walker, s.Start with { Memory = counted });
        var called = UnwindTrace.Collect(walker, s.Start with { Memory = plain });
        var fake = s.Walk(unwinder);

        Assert.That(shown.Frames, Is.EqualTo(called.Frames));
        Assert.That((shown.Done, shown.Error, shown.Caveats), Is.EqualTo((called.Done, called.Error, called.Caveats)));

        // The copy is faithful: the frames are the scene's own (its memory cannot read unaligned
        // words, which an odd %rbp read by an unwinder that does not decode it asks for).
        Assert.That(shown.Frames, Is.EqualTo(fake.Frames));
        if (fake.Error != UnwindError.UnreadableMemory)
        {
            Assert.That((shown.Done, shown.Error, shown.Caveats), Is.EqualTo((fake.Done, fake.Error, fake.Caveats)));
        }

        Assert.That(counted.Reads, shown.Frames.Count > 3 ? Is.LessThan(plain.Reads) : Is.LessThanOrEqualTo(plain.Reads), "words read from shown pages, not through the memory");
    }

    [Test]
    public void ReadPair_reads_a_record_on_the_shown_page_and_one_across_its_end_through_the_memory()
    {
        var memory = TwoPageMemory();
        var state = OnTwoPages(memory);
        memory.WriteUInt64(Low + 0xff0, 1);
        memory.WriteUInt64(Low + 0xff8, 2);
        memory.WriteUInt64(Low + 0x1000, 3);
        Assert.That(memory.TryReadUInt64(Low, out _), Is.True); // shows the first page

        Assert.That(state.Shown(Low + 0xff8).Length, Is.EqualTo(8));
        Assert.That(state.Shown(Low + 0x1000).Length, Is.Zero, "the second page is not shown yet");
        Assert.That(state.ReadPair(Low + 0xff0, out ulong bp, out ulong ret), Is.True);
        Assert.That((bp, ret), Is.EqualTo((1UL, 2UL)), "the first page's last record");
        Assert.That(state.ReadPair(Low + 0xff8, out bp, out ret), Is.True);
        Assert.That((bp, ret), Is.EqualTo((2UL, 3UL)), "across the page's end");
        Assert.That(state.Error, Is.EqualTo(UnwindError.None));
    }

    [Test]
    public void ReadPair_fails_on_an_unmapped_page_and_reads_no_second_word_after_an_unreadable_first()
    {
        var memory = TwoPageMemory();
        memory.WriteUInt64(Low + 0xff8, 2);
        memory.Unmap(Low + GuestMemory.PageSize, GuestMemory.PageSize);

        var across = OnTwoPages(memory);
        Assert.That(across.ReadPair(Low + 0xff8, out ulong bp, out _), Is.False, "the second word is on the unmapped page");
        Assert.That((bp, across.Error, across.Kind), Is.EqualTo((2UL, UnwindError.UnreadableMemory, UnwindFrameKind.None)));

        var counted = new CountingMemory(memory);
        var unmapped = OnTwoPages(counted);
        Assert.That(unmapped.ReadPair(Low + 0x1008, out _, out _), Is.False);
        Assert.That((unmapped.Error, counted.Reads), Is.EqualTo((UnwindError.UnreadableMemory, 1)), "one read: the first word's");
    }

    [Test]
    public void Without_a_window_Shown_is_empty_and_ReadPair_reads_word_by_word()
    {
        var fake = new FakeMemory { [Low + 0xff0] = 5, [Low + 0xff8] = 6 };
        var state = OnTwoPages(fake);

        Assert.That(state.Shown(Low + 0xff0).Length, Is.Zero);
        Assert.That(state.ReadPair(Low + 0xff0, out ulong bp, out ulong ret), Is.True);
        Assert.That((bp, ret, fake.Reads), Is.EqualTo((5UL, 6UL, 2)));
    }

    [Test]
    public void Reach_answers_on_both_sides_of_its_quick_case()
    {
        var state = OnTwoPages(TwoPageMemory());
        state.Floor = Low + 0x100;
        Assert.That(state.StackHigh, Is.EqualTo(High));
        Assert.That(state.Reach(Low + 0x100, 16), Is.True, "at the floor");
        Assert.That(state.Reach(High - 16, 16), Is.True, "the stack's last record");
        Assert.That(state.Reach(High, 0), Is.True, "nothing, at the very top");
        Assert.That(state.Error, Is.EqualTo(UnwindError.None));

        Assert.That(Fails(state, (ref UnwindState s) => s.Reach(High - 8, 16)), Is.EqualTo(UnwindError.OutOfBounds), "across the top of a stack that links nowhere");
        Assert.That(Fails(state, (ref UnwindState s) => s.Reach(High, 8)), Is.EqualTo(UnwindError.EndOfStack), "above the stack");
        Assert.That(Fails(state, (ref UnwindState s) => s.Reach(Low + 0xf8, 16)), Is.EqualTo(UnwindError.WrongDirection), "below the floor");
        Assert.That(Fails(state, (ref UnwindState s) => s.Reach(Low + 0x100, ulong.MaxValue)), Is.EqualTo(UnwindError.OutOfBounds), "a length that wraps");
        Assert.That(Fails(default, (ref UnwindState s) => s.Reach(0, 0)), Is.EqualTo(UnwindError.UnknownStack), "no stack at all");

        var cleared = state;
        cleared.Stack = null;
        Assert.That(cleared.StackHigh, Is.Zero);
        Assert.That(Fails(cleared, (ref UnwindState s) => s.Reach(Low + 0x100, 16)), Is.EqualTo(UnwindError.UnknownStack));
    }

    private delegate bool Check(ref UnwindState state);

    private static UnwindError Fails(UnwindState state, Check check)
    {
        Assert.That(check(ref state), Is.False);
        return state.Error;
    }

    private static GuestMemory TwoPageMemory()
    {
        var memory = new GuestMemory();
        memory.Map(Low, High - Low, PagePermissions.Writable);
        return memory;
    }

    private static UnwindState OnTwoPages(IMemoryReader memory) =>
        new() { Memory = memory, Stacks = new TestStacks(TwoPages), Stack = TwoPages, Floor = Low };

    /// <summary>The scene's words in a live memory: its stacks' pages and the task struct's page mapped, every word it wrote copied.</summary>
    private static GuestMemory Copy(FakeMemory fake)
    {
        var memory = new GuestMemory();
        foreach (var stack in new[] { TestStacks.Task, TestStacks.Irq, TestStacks.Ist })
        {
            memory.Map(stack.Low, stack.Size, PagePermissions.Writable);
            CopyWords(fake, memory, stack.Low, stack.High);
        }

        ulong task = TestStacks.TaskStruct;
        memory.Map(task, GuestMemory.PageSize, PagePermissions.Writable);
        CopyWords(fake, memory, task, task + GuestMemory.PageSize);
        return memory;
    }

    private static void CopyWords(FakeMemory fake, GuestMemory memory, ulong low, ulong high)
    {
        for (ulong a = low; a < high; a += 8)
        {
            if (fake.TryReadUInt64(a, out ulong word))
            {
                memory.WriteUInt64(a, word);
            }
        }
    }

    /// <summary>Counts the calls that reach the memory; shows the memory's own window.</summary>
    private sealed class CountingMemory(IMemoryReader under) : IMemoryReader
    {
        public int Reads { get; private set; }

        public PageWindow? Window => under.Window;

        public bool TryReadUInt64(ulong address, out ulong value)
        {
            Reads++;
            return under.TryReadUInt64(address, out value);
        }

        public bool TryRead(ulong address, Span<byte> destination)
        {
            Reads++;
            return under.TryRead(address, destination);
        }
    }
}
