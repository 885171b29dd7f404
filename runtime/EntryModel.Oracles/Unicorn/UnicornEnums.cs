namespace EntryModel.Oracles.Unicorn;

// Values checked against /usr/include/unicorn/{unicorn,x86}.h of libunicorn-dev 2.0.1 (compiled and printed).

/// <summary>uc_arch: only x86 is used.</summary>
public enum UnicornArch
{
    X86 = 4,
}

/// <summary>uc_mode for UC_ARCH_X86.</summary>
public enum UnicornMode
{
    Mode64 = 8,
}

/// <summary>uc_prot bits for uc_mem_map.</summary>
[Flags]
public enum UnicornProtection : uint
{
    None = 0,
    Read = 1,
    Write = 2,
    Exec = 4,
    All = Read | Write | Exec,
}

/// <summary>uc_err.</summary>
public enum UnicornError
{
    Ok = 0,
    NoMemory,
    Arch,
    Handle,
    Mode,
    Version,
    ReadUnmapped,
    WriteUnmapped,
    FetchUnmapped,
    Hook,
    InvalidInstruction,
    Map,
    WriteProtected,
    ReadProtected,
    FetchProtected,
    Argument,
    ReadUnaligned,
    WriteUnaligned,
    FetchUnaligned,
    HookExists,
    Resource,
    Exception,
}

/// <summary>uc_x86_reg: the 64-bit registers the oracles read and write.</summary>
public enum UnicornX86Register
{
    Rax = 35,
    Rbp = 36,
    Rbx = 37,
    Rcx = 38,
    Rdi = 39,
    Rdx = 40,
    Rip = 41,
    Rsi = 43,
    Rsp = 44,
    R8 = 106,
    R9 = 107,
    R10 = 108,
    R11 = 109,
    R12 = 110,
    R13 = 111,
    R14 = 112,
    R15 = 113,
    Rflags = 253,
}
