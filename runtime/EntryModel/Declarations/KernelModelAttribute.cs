namespace EntryModel;

/// <summary>
/// Marks a static partial class whose <c>const string</c> fields hold GNU-assembler (AT&amp;T) text.
/// The source generator assembles every declaration of the class once per
/// <see cref="FrameStrategyAttribute"/> and adds one <see cref="KernelImage"/> per strategy to the class.
/// Each code declaration is assembled on its own, seeing the <see cref="GasMacrosAttribute"/> text and
/// the strategy's defines; symbols of other declarations are resolved when the image is linked.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class KernelModelAttribute : Attribute
{
}
