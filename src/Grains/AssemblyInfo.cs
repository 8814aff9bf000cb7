namespace Switchboard.Grains;
