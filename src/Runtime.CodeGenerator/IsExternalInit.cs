// netstandard2.0 lacks this marker type; records and init accessors in the generator's models need it.
namespace System.Runtime.CompilerServices;

internal static class IsExternalInit;
