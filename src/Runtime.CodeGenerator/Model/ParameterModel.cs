namespace Switchboard.Runtime.CodeGenerator.Model;

/// <summary>One grain method parameter: its escaped name and fully qualified type (with nullable annotations).</summary>
internal sealed record ParameterModel(string Name, string Type);
