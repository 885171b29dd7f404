namespace EntryModel;

/// <summary>
/// GAS text holding <c>.macro</c> definitions and <c>.set</c>/<c>.equ</c> constants shared by every
/// declaration of the model. It emits no code of its own.
/// </summary>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class GasMacrosAttribute : Attribute
{
}
