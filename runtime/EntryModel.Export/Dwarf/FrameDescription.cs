namespace EntryModel.Export.Dwarf;

/// <summary>
/// One FDE: the code from <see cref="Start"/> up to <see cref="End"/> and the instructions that, after
/// the CIE's, give its rules; <see cref="Signal"/> when the frame stands on a saved register set
/// (its caller was interrupted, not calling), which the CIE's "S" augmentation tells the reader.
/// </summary>
public sealed record FrameDescription(ulong Start, ulong End, byte[] Instructions, bool Signal = false);
