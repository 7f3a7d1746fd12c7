using Booklore.Tasks.Bench;

// Measures metadata reading per format: our readers on one core and on two, and calibre's
// reader over the same files in the same run, so the ratios compare like with like.
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine($"error: {exception.Message}");
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

var files = BenchFiles.Collect(options);
Console.WriteLine($"Files: {string.Join(", ", files.Select(group => $"{group.Key} {group.Value.Count}"))}");

var ours = OurReaderTimer.Measure(files, options.Rounds);
var calibre = options.SkipCalibre ? new Dictionary<string, double>() : await CalibreTimer.MeasureAsync(files, options.CalibreScript);
BenchReport.Print(files, ours, calibre);
return 0;
