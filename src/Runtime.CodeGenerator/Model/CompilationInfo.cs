namespace Switchboard.Runtime.CodeGenerator.Model;

/// <summary>The per-compilation facts the generator needs.</summary>
/// <param name="AssemblyName">Used to name the registration class.</param>
/// <param name="ReferencesRuntime">False: the compilation does not use Switchboard.Runtime; emit nothing.</param>
internal sealed record CompilationInfo(string AssemblyName, bool ReferencesRuntime);
