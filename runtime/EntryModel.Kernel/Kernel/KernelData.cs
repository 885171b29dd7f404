namespace EntryModel.Kernel;

public static partial class DefaultKernel
{
    /// <summary>
    /// CPU 0's per-CPU area, GS base and TR base at once: the 64-bit TSS, then the per-CPU
    /// variables. Stack pointers (RSP0, ISTs, top of stack, IRQ stack) are filled in at boot, when
    /// the stacks exist; the IRQ nesting count starts at -1 (not on the IRQ stack).
    /// </summary>
    [GasCode("cpu0_area", Kind = SymbolKind.Data, Section = ".data", Address = 0xffffffff81c00000)]
    public const string Cpu0Area = """
            .fill 0x68, 1, 0
            .fill PCPU_CURRENT_TASK-0x68, 1, 0
            .quad task_user
            .quad 0
            .quad 0
            .quad 0
            .quad -1
            .quad 0
            .quad 0
            .quad 0
        """;

    /// <summary>The user process's task; its stack top is set at boot.</summary>
    [GasCode("task_user", Kind = SymbolKind.Data, Section = ".data", Address = 0xffffffff81c01000)]
    public const string TaskUser = """
            .quad 0, 0, 0, 0, 0
            .quad task_user
            .quad 1
            .quad 0
        """;

    /// <summary>Kernel thread A (spins); with tasks C and B it forms the scheduler's ring A, C, B.</summary>
    [GasCode("task_a", Kind = SymbolKind.Data, Section = ".data", Address = 0xffffffff81c01040)]
    public const string TaskA = """
            .quad 0, 0, 0, 0, 0
            .quad task_c
            .quad 2
            .quad 0
        """;

    /// <summary>Kernel thread C (yields the CPU and sleeps in schedule()).</summary>
    [GasCode("task_c", Kind = SymbolKind.Data, Section = ".data", Address = 0xffffffff81c010c0)]
    public const string TaskC = """
            .quad 0, 0, 0, 0, 0
            .quad task_b
            .quad 4
            .quad 0
        """;

    /// <summary>Kernel thread B (powers off).</summary>
    [GasCode("task_b", Kind = SymbolKind.Data, Section = ".data", Address = 0xffffffff81c01080)]
    public const string TaskB = """
            .quad 0, 0, 0, 0, 0
            .quad task_a
            .quad 3
            .quad 0
        """;

    /// <summary>A spare task struct for a kernel thread that code beside the model adds (the sweep's yielding worker).</summary>
    [GasCode("task_kworker", Kind = SymbolKind.Data, Section = ".data", Address = 0xffffffff81c01100)]
    public const string TaskKworker = """
            .quad 0, 0, 0, 0, 0
            .quad task_kworker
            .quad 5
            .quad 0
        """;

    /// <summary>The open files: fd 0 is the file read() reads.</summary>
    [GasCode("fd_table", Kind = SymbolKind.Data, Section = ".data", Address = 0xffffffff81c02000)]
    public const string FdTable = """
            .quad stdin_file, 0, 0, 0, 0, 0, 0, 0
        """;

    /// <summary>struct file of fd 0: read-only, position 0, backed by a one-page mapping.</summary>
    [GasCode("stdin_file", Kind = SymbolKind.Data, Section = ".data", Address = 0xffffffff81c02040)]
    public const string StdinFile = """
            .quad generic_file_fops
            .quad FMODE_READ
            .quad 0
            .quad stdin_mapping
        """;

    /// <summary>The file's page cache: one page.</summary>
    [GasCode("stdin_mapping", Kind = SymbolKind.Data, Section = ".data", Address = 0xffffffff81c02080)]
    public const string StdinMapping = """
            .quad 1
            .quad file_page
        """;

    /// <summary>The struct page of the cached page: its kernel virtual address.</summary>
    [GasCode("file_page", Kind = SymbolKind.Data, Section = ".data", Address = 0xffffffff81c020c0)]
    public const string FilePage = """
            .quad file_page_data
        """;

    /// <summary>Timer ticks and thread A's loop count.</summary>
    [GasCode("jiffies", Kind = SymbolKind.Data, Section = ".data", Address = 0xffffffff81c02100)]
    public const string Jiffies = """
            .quad 0
        """;

    [GasCode("spin_count", Kind = SymbolKind.Data, Section = ".data", Address = 0xffffffff81c02108)]
    public const string SpinCount = """
            .quad 0
        """;

    /// <summary>file_operations of the file: only read_iter is set.</summary>
    [GasCode("generic_file_fops", Kind = SymbolKind.Data, Section = ".rodata", Address = 0xffffffff81a01000)]
    public const string GenericFileFops = """
            .quad 0, 0, 0, 0
            .quad generic_file_read_iter
            .quad 0, 0, 0
        """;

    /// <summary>What the cached page holds (the rest of the page reads as zero).</summary>
    [GasCode("file_page_data", Kind = SymbolKind.Data, Section = ".rodata", Address = 0xffffffff81a02000)]
    public const string FilePageData = """
            .quad FILE_WORD0, FILE_WORD1
            .fill PAGE_SIZE-FILE_BYTES, 1, 0
        """;
}
