// The generator lands here (see GrainCodeGenerator.cs).
