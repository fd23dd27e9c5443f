// Deployment targets Linux only (systemd, dpkg, device nodes).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
