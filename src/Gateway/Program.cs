// Gateway-only host (cluster mode) arrives with the cluster issue; embedded mode hosts the gateway inside src/Silo.
return 0;
